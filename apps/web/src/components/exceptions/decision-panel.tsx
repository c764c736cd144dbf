"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { approveExceptionAction, rejectExceptionAction, revokeExceptionAction } from "../../app/(dashboard)/exceptions/actions.ts";
import { ConfirmActionButton } from "../confirm-action-button.tsx";

// The decisions the caller may take on one exception, with one optional note for all of them (kept in
// the audit log; rejections and revocations also keep it on the exception). Approving suppresses the
// matching findings at once, so a request flagged as matching nothing or very much asks for a
// confirmation first.

export interface DecisionOptions {
  canApprove: boolean;
  canReject: boolean;
  canRevoke: boolean;
  /** The caller's own request, still open: they may withdraw it. */
  canWithdraw: boolean;
}

export function DecisionPanel({ id, options, matchCount, flags }: { id: string; options: DecisionOptions; matchCount: number; flags: readonly string[] }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const { canApprove, canReject, canRevoke, canWithdraw } = options;
  if (!canApprove && !canReject && !canRevoke && !canWithdraw) return null;

  const after = (message: string) => {
    setDone(message);
    setNote("");
    router.refresh();
  };

  return (
    <section aria-labelledby="decide-title" className="card space-y-3" data-testid="decision-panel">
      <h2 id="decide-title" className="font-semibold">
        {canApprove ? "Decide" : "Manage"}
      </h2>
      <div>
        <label htmlFor="decision-note" className="label text-xs">
          Note <span className="font-normal text-muted">(optional, kept in the history)</span>
        </label>
        <textarea id="decision-note" className="input min-h-16" maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="decision-note" />
      </div>
      <div className="flex flex-wrap items-start gap-2">
        {canApprove ? (
          <button
            type="button"
            className="btn btn-primary py-1 text-xs"
            disabled={pending}
            data-testid="approve-exception"
            onClick={() => {
              if (flags.includes("matches-over-100") && !window.confirm(`Approve an exception that suppresses ${matchCount} findings?`)) return;
              if (flags.includes("matches-nothing") && !window.confirm("This scope matches no current finding. Approve it anyway?")) return;
              setError(null);
              start(async () => {
                const r = await approveExceptionAction(id, note);
                if (r.ok) after(`Approved: ${r.data.suppressed} ${r.data.suppressed === 1 ? "finding" : "findings"} suppressed.`);
                else setError(r.error);
              });
            }}
          >
            {pending ? "Approving…" : "Approve"}
          </button>
        ) : null}
        {canReject ? (
          <ConfirmActionButton
            label="Reject"
            pendingLabel="Rejecting…"
            question={() => "Reject this exception request?"}
            action={async () => {
              const r = await rejectExceptionAction(id, note);
              if (r.ok) after("Rejected.");
              return r.ok ? { ok: true } : { ok: false, error: r.error };
            }}
          />
        ) : null}
        {canRevoke ? (
          <ConfirmActionButton
            label="Revoke"
            pendingLabel="Revoking…"
            question={() => "Revoke this exception? The findings it suppresses reopen unless another exception covers them."}
            action={async () => {
              const r = await revokeExceptionAction(id, note);
              if (r.ok) after(`Revoked: ${r.data.reopened} ${r.data.reopened === 1 ? "finding" : "findings"} reopened.`);
              return r.ok ? { ok: true } : { ok: false, error: r.error };
            }}
          />
        ) : null}
        {canWithdraw ? (
          <ConfirmActionButton
            label="Withdraw request"
            pendingLabel="Withdrawing…"
            question={() => "Withdraw your exception request?"}
            action={async () => {
              const r = await revokeExceptionAction(id, note);
              if (r.ok) after("Request withdrawn.");
              return r.ok ? { ok: true } : { ok: false, error: r.error };
            }}
          />
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="decision-error">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="text-sm text-ok" data-testid="decision-done">
          {done}
        </p>
      ) : null}
    </section>
  );
}
