"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "../../server/actions.ts";

/** Sends a dead delivery again; the log refreshes to show it pending, then its outcome. */
export function RetryDeliveryButton({ id, label, retry }: { id: string; label: string; retry: (id: string) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        className="btn py-1 text-xs"
        disabled={pending}
        aria-label={label}
        onClick={() => {
          setError(null);
          start(async () => {
            const r = await retry(id);
            if (!r.ok) setError(r.error);
            router.refresh();
          });
        }}
      >
        {pending ? "Queuing…" : "Retry"}
      </button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
