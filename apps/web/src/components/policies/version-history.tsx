"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { policyVersionAction, revertPolicyAction } from "../../app/(dashboard)/policies/actions.ts";
import { formatDateTime } from "../format.ts";
import { diffLines, diffStats, withContext } from "./line-diff.ts";
import { definitionToYaml } from "./policy-yaml.ts";

// Every save is a version. Any two can be compared (YAML of each definition, line diff); an admin can
// make an old one current again, which saves it as a new version so history only grows.

export interface VersionRow {
  version: number;
  message: string | null;
  authorEmail: string | null;
  createdAt: string;
}

function DiffView({ before, after, from, to }: { before: string; after: string; from: number; to: number }) {
  const lines = diffLines(before, after);
  const { added, removed } = diffStats(lines);
  const shown = withContext(lines, 3);
  return (
    <div data-testid="version-diff" className="overflow-hidden rounded-md border border-border">
      <p className="border-b border-border bg-surface-2 px-3 py-1.5 text-xs text-muted">
        v{from} → v{to}: <span className="text-ok">+{added}</span> <span className="text-danger">−{removed}</span>
        {added + removed === 0 ? " — identical definitions" : ""}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse font-mono text-xs" aria-label={`Changes from version ${from} to version ${to}`}>
          <tbody>
            {shown.map((l, i) =>
              l.type === "skip" ? (
                <tr key={i} className="bg-surface-2 text-muted">
                  <td colSpan={4} className="px-3 py-0.5">
                    ⋯ {l.count} unchanged {l.count === 1 ? "line" : "lines"}
                  </td>
                </tr>
              ) : (
                <tr
                  key={i}
                  data-diff={l.type}
                  style={
                    l.type === "add"
                      ? { background: "color-mix(in srgb, var(--ok) 14%, transparent)" }
                      : l.type === "del"
                        ? { background: "color-mix(in srgb, var(--danger) 14%, transparent)" }
                        : undefined
                  }
                >
                  <td className="w-10 px-2 text-right text-muted select-none">{l.type !== "add" ? l.oldNo : ""}</td>
                  <td className="w-10 px-2 text-right text-muted select-none">{l.type !== "del" ? l.newNo : ""}</td>
                  <td className={`w-4 select-none ${l.type === "add" ? "text-ok" : l.type === "del" ? "text-danger" : "text-muted"}`}>
                    {l.type === "add" ? "+" : l.type === "del" ? "−" : " "}
                    <span className="sr-only">{l.type === "add" ? "added" : l.type === "del" ? "removed" : ""}</span>
                  </td>
                  <td className="pr-3 whitespace-pre">{l.text}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function RevertForm({ policyKey, version, currentVersion, onDone }: { policyKey: string; version: number; currentVersion: number; onDone: () => void }) {
  const router = useRouter();
  const [message, setMessage] = useState(`Reverted to version ${version}`);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="mt-2 flex flex-wrap items-end gap-2" data-testid={`revert-form-${version}`}>
      <div className="min-w-64 flex-1">
        <label htmlFor={`revert-msg-${version}`} className="text-xs text-muted">
          Message for the new version
        </label>
        <input id={`revert-msg-${version}`} className="input" maxLength={500} value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
      </div>
      <button
        type="button"
        className="btn btn-primary"
        disabled={pending}
        data-testid={`revert-confirm-${version}`}
        onClick={() => {
          setError(null);
          start(async () => {
            const r = await revertPolicyAction(policyKey, version, message, currentVersion);
            if (!r.ok) setError(r.error);
            else {
              onDone();
              router.refresh();
            }
          });
        }}
      >
        {pending ? "Reverting…" : `Revert to v${version}`}
      </button>
      <button type="button" className="btn" onClick={onDone} disabled={pending}>
        Cancel
      </button>
      {error ? (
        <p role="alert" className="w-full text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function VersionHistory({ policyKey, versions, currentVersion, currentDefinition, canRevert }: { policyKey: string; versions: VersionRow[]; currentVersion: number; currentDefinition: unknown; canRevert: boolean }) {
  const older = versions.find((v) => v.version < currentVersion)?.version ?? currentVersion;
  const [from, setFrom] = useState(older);
  const [to, setTo] = useState(currentVersion);
  const [defs, setDefs] = useState<Record<number, unknown>>({ [currentVersion]: currentDefinition });
  const [error, setError] = useState<string | null>(null);
  const [reverting, setReverting] = useState<number | null>(null);
  const [loading, startLoad] = useTransition();

  // A refresh after a revert brings a new current version: start comparing against it.
  useEffect(() => {
    setDefs((d) => ({ ...d, [currentVersion]: currentDefinition }));
    setTo(currentVersion);
  }, [currentVersion, currentDefinition]);

  const missing = [from, to].filter((v) => !(v in defs));
  const missingKey = missing.join(",");
  useEffect(() => {
    if (missingKey === "") return;
    setError(null);
    startLoad(async () => {
      for (const v of missingKey.split(",").map(Number)) {
        const r = await policyVersionAction(policyKey, v);
        if (!r.ok) {
          setError(r.error);
          return;
        }
        setDefs((d) => ({ ...d, [v]: r.data.definition }));
      }
    });
  }, [missingKey, policyKey]);

  const ready = from in defs && to in defs;
  const select = (id: string, label: string, value: number, onChange: (v: number) => void) => (
    <div>
      <label htmlFor={id} className="block text-xs text-muted">
        {label}
      </label>
      <select id={id} className="input w-auto py-1" value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
            {v.version === currentVersion ? " (current)" : ""}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="space-y-4">
      <div className="overflow-x-auto">
        <table className="table" data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Message</th>
              <th scope="col">Author</th>
              <th scope="col">Date</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} data-testid={`version-row-${v.version}`}>
                <td className="tabular-nums">
                  v{v.version}
                  {v.version === currentVersion ? <span className="ml-1 text-xs text-muted">(current)</span> : null}
                </td>
                <td className="max-w-md">
                  {v.message ?? <span className="text-muted">—</span>}
                  {reverting === v.version ? <RevertForm policyKey={policyKey} version={v.version} currentVersion={currentVersion} onDone={() => setReverting(null)} /> : null}
                </td>
                <td>{v.authorEmail ?? <span className="text-muted">Bulwark</span>}</td>
                <td className="whitespace-nowrap">{formatDateTime(v.createdAt)}</td>
                <td className="whitespace-nowrap">
                  <div className="flex gap-2">
                    {v.version !== currentVersion ? (
                      <button
                        type="button"
                        className="btn py-1 text-xs"
                        onClick={() => {
                          setFrom(v.version);
                          setTo(currentVersion);
                        }}
                      >
                        Compare with current
                      </button>
                    ) : null}
                    {canRevert && v.version !== currentVersion && reverting !== v.version ? (
                      <button type="button" className="btn py-1 text-xs" data-testid={`revert-${v.version}`} onClick={() => setReverting(v.version)}>
                        Revert to this version
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {versions.length > 1 ? (
        <div className="space-y-2">
          <div className="flex flex-wrap items-end gap-3">
            {select("diff-from", "Compare", from, setFrom)}
            {select("diff-to", "with", to, setTo)}
            {loading ? <span className="pb-2 text-xs text-muted">Loading…</span> : null}
          </div>
          {error ? (
            <p role="alert" className="text-sm text-danger">
              {error}
            </p>
          ) : null}
          {ready ? <DiffView before={definitionToYaml(defs[from])} after={definitionToYaml(defs[to])} from={from} to={to} /> : null}
        </div>
      ) : (
        <p className="text-sm text-muted">Only one version so far; every save adds one.</p>
      )}
    </div>
  );
}
