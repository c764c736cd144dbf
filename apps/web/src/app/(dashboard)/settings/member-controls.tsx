"use client";

import { useState, useTransition } from "react";
import { changeRoleAction, removeMemberAction } from "./actions.ts";

export function MemberControls({ membershipId, email, role, roles, isSelf }: { membershipId: string; email: string; role: string; roles: string[]; isSelf: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={`role-${membershipId}`} className="sr-only">
        Role for {email}
      </label>
      <select
        id={`role-${membershipId}`}
        defaultValue={role}
        disabled={pending}
        className="input w-auto py-1"
        onChange={(e) => {
          const select = e.currentTarget;
          const next = select.value;
          setError(null);
          start(async () => {
            const r = await changeRoleAction(membershipId, next);
            if (!r.ok) {
              setError(r.error);
              select.value = role;
            }
          });
        }}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r.charAt(0) + r.slice(1).toLowerCase()}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-danger"
        disabled={pending}
        onClick={() => {
          const question = isSelf ? "Remove yourself from this organization? You will lose access to it." : `Remove ${email} from this organization?`;
          if (!window.confirm(question)) return;
          setError(null);
          start(async () => {
            const r = await removeMemberAction(membershipId);
            if (!r.ok) setError(r.error);
          });
        }}
      >
        Remove
      </button>
      {error ? (
        <p role="alert" className="w-full text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
