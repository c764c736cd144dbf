"use client";

import { useActionState } from "react";
import { acceptInviteAction } from "./actions.ts";

export function AcceptForm({ token, needsPassword }: { token: string; needsPassword: boolean }) {
  const [state, action, pending] = useActionState(acceptInviteAction, null);
  const fieldError = (path: string) => (state && !state.ok ? state.fields?.find((f) => f.path === path)?.message : undefined);

  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {needsPassword ? (
        <>
          <div>
            <label htmlFor="name" className="label">
              Your name
            </label>
            <input id="name" name="name" autoComplete="name" className="input" />
          </div>
          <div>
            <label htmlFor="password" className="label">
              Choose a password
            </label>
            <input id="password" name="password" type="password" autoComplete="new-password" required minLength={10} className="input" aria-describedby="password-help" />
            <p id="password-help" className="mt-1 text-xs text-muted">
              At least 10 characters.
            </p>
            {fieldError("password") ? <p className="mt-1 text-xs text-danger">{fieldError("password")}</p> : null}
          </div>
        </>
      ) : (
        <p className="text-sm text-muted">You already have a Bulwark account: accepting adds this organization to it. Sign in with your usual password afterwards.</p>
      )}
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-danger">
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary w-full" disabled={pending}>
        {pending ? "Accepting…" : "Accept invitation"}
      </button>
    </form>
  );
}
