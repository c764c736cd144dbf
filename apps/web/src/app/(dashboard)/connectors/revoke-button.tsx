"use client";

import { useState, useTransition } from "react";
import { revokeTokenAction } from "./actions.ts";

export function RevokeButton({ id, name }: { id: string; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        className="btn btn-danger py-1 text-xs"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Revoke the token "${name}"? Connectors using it stop working at once.`)) return;
          setError(null);
          start(async () => {
            const r = await revokeTokenAction(id);
            if (!r.ok) setError(r.error);
          });
        }}
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
