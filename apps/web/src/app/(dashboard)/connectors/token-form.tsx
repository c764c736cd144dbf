"use client";

import { useActionState } from "react";
import { createTokenAction } from "./actions.ts";
import { CopyButton } from "../../../components/copy-button.tsx";

const SCOPES: { value: string; label: string; hint: string }[] = [
  { value: "ingest", label: "ingest", hint: "send inventory, scans, SBOMs, events" },
  { value: "policy:read", label: "policy:read", hint: "fetch policies (admission controller)" },
  { value: "enforcement", label: "enforcement", hint: "report admission decisions" },
  { value: "read", label: "read", hint: "read posture through the API" },
  { value: "metrics", label: "metrics", hint: "scrape metrics" },
];

export function TokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, null);
  const fieldError = (path: string) => (state && !state.ok ? state.fields?.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message : undefined);

  return (
    <div className="card" data-testid="token-form">
      <h2 className="font-semibold">Create a connector token</h2>
      <p className="mt-1 text-sm text-muted">The token is shown once, right after it is created. Bulwark stores only its hash.</p>
      <form action={action} className="mt-4 grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor="token-name" className="label">
            Name
          </label>
          <input id="token-name" name="name" required maxLength={100} className="input" placeholder="prod cluster agent" aria-invalid={fieldError("name") ? true : undefined} />
          {fieldError("name") ? <p className="mt-1 text-xs text-danger">{fieldError("name")}</p> : null}
        </div>
        <div>
          <label htmlFor="token-cluster" className="label">
            Bind to cluster (optional)
          </label>
          <input id="token-cluster" name="clusterName" maxLength={253} className="input" placeholder="prod-eu-1" aria-invalid={fieldError("clusterName") ? true : undefined} />
          <p className="mt-1 text-xs text-muted">A bound token may only send that cluster&apos;s inventory.</p>
          {fieldError("clusterName") ? <p className="mt-1 text-xs text-danger">{fieldError("clusterName")}</p> : null}
        </div>
        <fieldset>
          <legend className="label">Scopes</legend>
          <div className="space-y-1">
            {SCOPES.map((s) => (
              <label key={s.value} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === "ingest"} />
                <code>{s.label}</code>
                <span className="text-xs text-muted">{s.hint}</span>
              </label>
            ))}
          </div>
          {fieldError("scopes") ? <p className="mt-1 text-xs text-danger">{fieldError("scopes")}</p> : null}
        </fieldset>
        <div>
          <label htmlFor="token-expiry" className="label">
            Expires after (days, optional)
          </label>
          <input id="token-expiry" name="expiresInDays" type="number" min={1} max={3650} step={1} className="input" placeholder="never" aria-invalid={fieldError("expiresInDays") ? true : undefined} />
          {fieldError("expiresInDays") ? <p className="mt-1 text-xs text-danger">{fieldError("expiresInDays")}</p> : null}
        </div>
        <div className="md:col-span-2">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>

      {state?.ok ? (
        <div className="mt-4 space-y-4 rounded-md border border-border bg-surface-2 p-3 text-sm" role="status" data-testid="created-token">
          <p>
            Token <strong>{state.data.name}</strong> created with scopes {state.data.scopes.join(", ")}. Copy it now: it is not shown again.
          </p>
          <div className="flex items-center gap-2">
            <input readOnly aria-label="New API token" value={state.data.token} className="input font-mono text-xs" data-testid="new-token" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={state.data.token} label="Copy token" />
          </div>
          {state.data.snippets.map((s) => (
            <div key={s.id} data-testid={`snippet-${s.id}`}>
              <div className="flex items-center justify-between gap-2">
                <h3 className="font-medium">{s.title}</h3>
                <CopyButton text={s.text} />
              </div>
              <p className="text-xs text-muted">{s.description}</p>
              <pre className="mt-1 overflow-x-auto rounded-md border border-border bg-surface p-2 font-mono text-xs">{s.text}</pre>
            </div>
          ))}
        </div>
      ) : state && !state.ok ? (
        <p className="mt-3 text-sm text-danger" role="alert">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
