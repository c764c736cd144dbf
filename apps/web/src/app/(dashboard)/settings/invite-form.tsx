"use client";

import { useActionState } from "react";
import { inviteAction } from "./actions.ts";

export function InviteForm({ roles }: { roles: string[] }) {
  const [state, action, pending] = useActionState(inviteAction, null);
  const fieldError = (path: string) => (state && !state.ok ? state.fields?.find((f) => f.path === path)?.message : undefined);

  return (
    <div className="card" data-testid="invite-form">
      <h2 className="font-semibold">Invite a member</h2>
      <p className="mt-1 text-sm text-muted">Bulwark does not send email yet: copy the link and send it yourself. It works once and expires in 7 days.</p>
      <form action={action} className="mt-4 flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor="invite-email" className="label">
            Email
          </label>
          <input id="invite-email" name="email" type="email" required className="input" aria-invalid={fieldError("email") ? true : undefined} />
          {fieldError("email") ? <p className="mt-1 text-xs text-danger">{fieldError("email")}</p> : null}
        </div>
        <div>
          <label htmlFor="invite-role" className="label">
            Role
          </label>
          <select id="invite-role" name="role" defaultValue="VIEWER" className="input">
            {roles.map((r) => (
              <option key={r} value={r}>
                {r.charAt(0) + r.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Inviting…" : "Create invitation"}
        </button>
      </form>
      {state?.ok ? (
        <div className="mt-4 rounded-md border border-border bg-surface-2 p-3 text-sm" role="status">
          <p>
            Invitation for <strong>{state.data.email}</strong> created. This link is shown only once:
          </p>
          <input readOnly aria-label="Invitation link" value={state.data.acceptUrl} className="input mt-2 font-mono text-xs" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : state && !state.ok ? (
        <p className="mt-3 text-sm text-danger" role="alert">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
