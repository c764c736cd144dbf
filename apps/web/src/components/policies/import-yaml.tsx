"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { importPoliciesAction, type ImportItemResult } from "../../app/(dashboard)/policies/actions.ts";
import { describeFileError, MAX_IMPORT_BYTES, parsePolicyImport, type ImportParse } from "./policy-yaml.ts";

// Import a policy file (YAML or JSON; a list, a `policies:` list, or one definition per document),
// pasted or uploaded. It is validated in the browser exactly as the CLI reads it; each definition is
// then created, or saved as a new version when its key exists.

const PARSE_DELAY_MS = 300;

export function ImportYaml({ existing }: { existing: { key: string; builtin: boolean }[] }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [parsed, setParsed] = useState<ImportParse | null>(null);
  const [message, setMessage] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [results, setResults] = useState<ImportItemResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const byKey = new Map(existing.map((e) => [e.key, e]));

  useEffect(() => {
    if (text.trim() === "") {
      setParsed(null);
      return;
    }
    const t = setTimeout(() => setParsed(parsePolicyImport(text)), PARSE_DELAY_MS);
    return () => clearTimeout(t);
  }, [text]);

  const definitions = parsed?.ok ? parsed.definitions : [];

  return (
    <div className="space-y-4" data-testid="import-yaml">
      <div className="card space-y-3">
        <div>
          <label htmlFor="import-file" className="label">
            Upload a file
          </label>
          <input
            id="import-file"
            type="file"
            accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
            className="text-sm"
            onChange={async (e) => {
              setFileError(null);
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              if (file.size > MAX_IMPORT_BYTES) {
                setFileError(`The file is larger than ${MAX_IMPORT_BYTES / 1024} KiB.`);
                return;
              }
              setResults(null);
              setText(await file.text());
            }}
          />
          {fileError ? (
            <p role="alert" className="mt-1 text-xs text-danger">
              {fileError}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="import-text" className="label">
            Or paste YAML
          </label>
          <textarea
            id="import-text"
            data-testid="import-text"
            className="input min-h-64 font-mono text-xs"
            spellCheck={false}
            value={text}
            placeholder={"policies:\n  - id: no-privileged\n    enforcement: ENFORCE\n  - id: my-policy\n    name: …"}
            onChange={(e) => {
              setResults(null);
              setText(e.currentTarget.value);
            }}
          />
        </div>
        <div aria-live="polite">
          {parsed && !parsed.ok ? (
            <ul className="space-y-1 text-sm text-danger" data-testid="import-errors">
              {parsed.errors.map((e, i) => (
                <li key={i}>{describeFileError(e)}</li>
              ))}
            </ul>
          ) : null}
          {definitions.length > 0 ? (
            <div className="overflow-x-auto">
              <p className="text-sm text-ok">
                {definitions.length} valid {definitions.length === 1 ? "definition" : "definitions"}:
              </p>
              <table className="table mt-1" data-testid="import-plan">
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Name</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {definitions.map((d, i) => {
                    const key = String(d.id);
                    const found = byKey.get(key);
                    return (
                      <tr key={`${key}-${i}`}>
                        <td className="font-mono text-xs">{key}</td>
                        <td>{typeof d.name === "string" ? d.name : <span className="text-muted">—</span>}</td>
                        <td>{found ? (found.builtin ? "Tune built-in (new version)" : "Update (new version)") : "Create"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
        <div>
          <label htmlFor="import-message" className="label">
            Message <span className="font-normal text-muted">(optional, kept in each policy&apos;s version history)</span>
          </label>
          <input id="import-message" className="input" maxLength={500} value={message} placeholder="Imported from YAML" onChange={(e) => setMessage(e.currentTarget.value)} />
        </div>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="import-submit"
          disabled={pending || definitions.length === 0}
          onClick={() => {
            setError(null);
            start(async () => {
              const r = await importPoliciesAction(definitions, message);
              if (!r.ok) setError(r.error);
              else {
                setResults(r.data);
                router.refresh();
              }
            });
          }}
        >
          {pending ? "Importing…" : definitions.length === 0 ? "Import" : `Import ${definitions.length} ${definitions.length === 1 ? "policy" : "policies"}`}
        </button>
        {error ? (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        ) : null}
      </div>

      {results ? (
        <div className="card overflow-x-auto p-0" role="status" data-testid="import-results">
          <h2 className="px-4 pt-4 font-semibold">Import results</h2>
          <table className="table mt-2">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => (
                <tr key={`${r.key}-${i}`}>
                  <td>
                    {r.outcome === "failed" ? (
                      <span className="font-mono text-xs">{r.key || "—"}</span>
                    ) : (
                      <Link href={`/policies/${r.key}`} className="font-mono text-xs text-accent underline">
                        {r.key}
                      </Link>
                    )}
                  </td>
                  <td className={r.outcome === "failed" ? "text-danger" : undefined}>
                    {r.outcome === "created" ? "Created" : r.outcome === "updated" ? "Updated" : r.outcome === "unchanged" ? "Unchanged" : "Refused"}
                  </td>
                  <td className="text-xs">
                    {r.version !== undefined ? `v${r.version}` : null}
                    {r.error ? <span className="text-danger">{r.error}</span> : null}
                    {r.fields?.map((f, j) => (
                      <span key={j} className="block text-danger">
                        <code className="font-mono">{f.path}</code>: {f.message}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
