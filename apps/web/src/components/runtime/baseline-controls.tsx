"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { addBaselineProcessAction, lockBaselineAction, resetBaselineAction } from "../../app/(dashboard)/runtime/actions.ts";
import { ConfirmActionButton } from "../confirm-action-button.tsx";

// Changing a baseline (ADMIN+; the server checks the role again and audits each change). Locking ends
// learning now; resetting forgets every process and learns again; adding a process allows it and
// resolves that process's open anomalies.

export function BaselineControls({ id, status, label }: { id: string; status: "LEARNING" | "LOCKED"; label: string }) {
  const router = useRouter();
  const [process, setProcess] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<{ ok: true; data: unknown } | { ok: false; error: string; fields?: { path: string; message: string }[] }>, done: string, after?: () => void) => {
    setError(null);
    setNote(null);
    start(async () => {
      const r = await fn();
      if (!r.ok) {
        setError(r.fields?.[0]?.message ?? r.error);
        return;
      }
      setNote(done);
      after?.();
      router.refresh();
    });
  };

  return (
    <div className="space-y-4" data-testid="baseline-controls">
      <div className="flex flex-wrap items-start gap-3">
        {status === "LEARNING" ? (
          <button type="button" className="btn" disabled={pending} onClick={() => run(() => lockBaselineAction(id), "Baseline locked: other processes now raise anomalies.")} data-testid="baseline-lock">
            Lock now
          </button>
        ) : null}
        <ConfirmActionButton
          label="Reset"
          pendingLabel="Resetting…"
          ariaLabel={`Reset the baseline of ${label}`}
          question={() => `Reset the baseline of ${label}? Every learned process is forgotten and the baseline learns again for the organization's learning window.`}
          action={async () => {
            const r = await resetBaselineAction(id);
            if (r.ok) {
              setNote("Baseline reset: learning again.");
              router.refresh();
            }
            return r.ok ? { ok: true } : { ok: false, error: r.error };
          }}
        />
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        aria-label="Allow a process"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => addBaselineProcessAction(id, process), `Allowed ${process.trim()}; its open anomalies are resolved.`, () => setProcess(""));
        }}
      >
        <div className="min-w-64 flex-1">
          <label htmlFor="baseline-process" className="label text-xs">
            Allow a process
          </label>
          <input
            id="baseline-process"
            className="input py-1.5 font-mono"
            required
            maxLength={4096}
            spellCheck={false}
            autoComplete="off"
            placeholder="/usr/bin/curl"
            value={process}
            onChange={(e) => setProcess(e.currentTarget.value)}
            aria-describedby="baseline-process-hint"
            data-testid="baseline-process-input"
          />
          <p id="baseline-process-hint" className="mt-1 text-xs text-muted">
            The executable path as Falco reports it (proc.exepath), or the process name.
          </p>
        </div>
        <button type="submit" className="btn btn-primary mb-5" disabled={pending} data-testid="baseline-process-add">
          Add process
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="baseline-error">
          {error}
        </p>
      ) : null}
      {note ? (
        <p role="status" className="text-sm text-ok" data-testid="baseline-note">
          {note}
        </p>
      ) : null}
    </div>
  );
}
