"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { clonePolicyAction, deletePolicyAction } from "../../app/(dashboard)/policies/actions.ts";
import { ExportPolicyButton } from "./export-button.tsx";

// The detail page's toolbar: edit, clone (new key), delete (custom policies only) for admins; YAML
// export for everyone.

function CloneForm({ policyKey, name, onCancel }: { policyKey: string; name: string; onCancel: () => void }) {
  const router = useRouter();
  const [newKey, setNewKey] = useState(`${policyKey}-copy`.slice(0, 100));
  const [newName, setNewName] = useState(`${name} (copy)`);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<{ message: string; fields: { path: string; message: string }[] } | null>(null);
  const [pending, start] = useTransition();
  const fieldError = (p: string) => error?.fields.find((f) => f.path === p)?.message;
  return (
    <form
      className="card mt-3 grid gap-3 md:grid-cols-3"
      aria-label={`Clone ${name}`}
      data-testid="clone-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        start(async () => {
          const r = await clonePolicyAction(policyKey, newKey, newName, message);
          if (!r.ok) setError({ message: r.error, fields: r.fields ?? [] });
          else router.push(`/policies/${r.data.key}`);
        });
      }}
    >
      <div>
        <label htmlFor="clone-key" className="label">
          New key
        </label>
        <input id="clone-key" className="input" required maxLength={100} value={newKey} onChange={(e) => setNewKey(e.currentTarget.value)} aria-invalid={fieldError("newKey") ? true : undefined} data-testid="clone-key" />
        {fieldError("newKey") ? <p className="mt-1 text-xs text-danger">{fieldError("newKey")}</p> : null}
      </div>
      <div>
        <label htmlFor="clone-name" className="label">
          Name
        </label>
        <input id="clone-name" className="input" maxLength={200} value={newName} onChange={(e) => setNewName(e.currentTarget.value)} />
      </div>
      <div>
        <label htmlFor="clone-message" className="label">
          Message (optional)
        </label>
        <input id="clone-message" className="input" maxLength={500} value={message} onChange={(e) => setMessage(e.currentTarget.value)} placeholder={`Cloned from ${policyKey}`} />
      </div>
      <div className="flex flex-wrap items-center gap-2 md:col-span-3">
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="clone-confirm">
          {pending ? "Cloning…" : "Clone policy"}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        {error ? (
          <p role="alert" className="text-sm text-danger">
            {error.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}

export function PolicyActions({ policyKey, name, builtin, isAdmin, definition }: { policyKey: string; name: string; builtin: boolean; isAdmin: boolean; definition: unknown }) {
  const router = useRouter();
  const [cloning, setCloning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleting, startDelete] = useTransition();
  return (
    <div>
      <div className="flex flex-wrap gap-2" data-testid="policy-actions">
        {isAdmin ? (
          <>
            <Link href={`/policies/${policyKey}/edit`} className="btn btn-primary" data-testid="edit-policy">
              {builtin ? "Tune" : "Edit"}
            </Link>
            <button type="button" className="btn" onClick={() => setCloning((c) => !c)} aria-expanded={cloning} data-testid="clone-policy">
              Clone
            </button>
          </>
        ) : null}
        <ExportPolicyButton policyKey={policyKey} definition={definition} />
        {isAdmin && !builtin ? (
          <button
            type="button"
            className="btn btn-danger"
            disabled={deleting}
            data-testid="delete-policy"
            onClick={() => {
              if (!window.confirm(`Delete the policy "${name}" (${policyKey}) and its version history? This cannot be undone; the audit log keeps a record.`)) return;
              setError(null);
              startDelete(async () => {
                const r = await deletePolicyAction(policyKey);
                if (!r.ok) setError(r.error);
                else {
                  router.push("/policies");
                  router.refresh();
                }
              });
            }}
          >
            {deleting ? "Deleting…" : "Delete"}
          </button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-danger">
          {error}
        </p>
      ) : null}
      {cloning ? <CloneForm policyKey={policyKey} name={name} onCancel={() => setCloning(false)} /> : null}
    </div>
  );
}
