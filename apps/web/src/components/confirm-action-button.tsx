"use client";

import { useState, useTransition } from "react";

/** A destructive action behind a confirm dialog, with its pending label and its error shown in place. */
export function ConfirmActionButton({
  label,
  pendingLabel,
  question,
  ariaLabel,
  action,
}: {
  label: string;
  pendingLabel: string;
  /** Asked before anything happens; cancelling does nothing. */
  question: () => string;
  ariaLabel?: string;
  action: () => Promise<{ ok: true } | { ok: false; error: string }>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        className="btn btn-danger py-1 text-xs"
        disabled={pending}
        aria-label={ariaLabel}
        onClick={() => {
          if (!window.confirm(question())) return;
          setError(null);
          start(async () => {
            const r = await action();
            if (!r.ok) setError(r.error);
          });
        }}
      >
        {pending ? pendingLabel : label}
      </button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
