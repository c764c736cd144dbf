"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { resolveRuntimeAction } from "../../app/(dashboard)/runtime/actions.ts";

// Resolving a runtime finding by hand (ANALYST+, audited as finding.resolved): nothing re-reports
// runtime behaviour, so an analyst closes what was handled. The next event of the aggregate reopens it.

export function ResolveForm({ findingId }: { findingId: string }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-2"
      aria-label="Resolve this runtime finding"
      data-testid="runtime-resolve-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setNote(null);
        start(async () => {
          const r = await resolveRuntimeAction(findingId, reason);
          if (!r.ok) {
            setError(r.fields?.[0]?.message ?? r.error);
            return;
          }
          if (r.data.resolved === 0) {
            setError(r.data.skipped[0] ?? "Not resolved");
            return;
          }
          setNote("Resolved. A new event of this rule in the same place reopens it.");
          setReason("");
          router.refresh();
        });
      }}
    >
      <label htmlFor="resolve-reason" className="label text-xs">
        What was done
      </label>
      <div className="flex flex-wrap items-start gap-2">
        <input
          id="resolve-reason"
          required
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          placeholder="e.g. debugging session, pod since replaced"
          className="input min-w-64 flex-1 py-1.5"
          data-testid="resolve-reason"
        />
        <button type="submit" className="btn" disabled={pending} data-testid="resolve-submit">
          {pending ? "Resolving…" : "Resolve"}
        </button>
      </div>
      <p className="text-xs text-muted">Closes this finding now; the next event of the same rule in the same place reopens it.</p>
      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="resolve-error">
          {error}
        </p>
      ) : null}
      {note ? (
        <p role="status" className="text-sm text-ok" data-testid="resolve-done">
          {note}
        </p>
      ) : null}
    </form>
  );
}
