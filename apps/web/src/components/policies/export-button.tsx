"use client";

import { useState, useTransition } from "react";
import { exportPoliciesAction } from "../../app/(dashboard)/policies/actions.ts";
import { definitionToYaml, policiesToYaml } from "./policy-yaml.ts";

export function downloadText(filename: string, text: string, type = "application/yaml"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; some browsers read the URL asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads one definition the page already has as `<key>.yaml`. */
export function ExportPolicyButton({ policyKey, definition }: { policyKey: string; definition: unknown }) {
  return (
    <button type="button" className="btn" data-testid="export-yaml" onClick={() => downloadText(`${policyKey}.yaml`, definitionToYaml(definition))}>
      Export YAML
    </button>
  );
}

/** Downloads the listed policies as one `policies:` file; definitions are fetched on click. */
export function ExportPoliciesButton({ keys }: { keys: string[] }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-col items-end">
      <button
        type="button"
        className="btn"
        data-testid="export-all-yaml"
        disabled={pending || keys.length === 0}
        onClick={() => {
          setError(null);
          start(async () => {
            const r = await exportPoliciesAction(keys);
            if (!r.ok) setError(r.error);
            else downloadText("policies.yaml", policiesToYaml(r.data.definitions));
          });
        }}
      >
        {pending ? "Exporting…" : `Export ${keys.length} as YAML`}
      </button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
