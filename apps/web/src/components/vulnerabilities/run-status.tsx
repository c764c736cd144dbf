import { StatusBadge } from "../enforcement/status-badge.tsx";
import { progressPercent, runStatus, type ScanRunItem } from "./scan-run.ts";

// A run's status and progress, shared by the server-rendered table and the live poller (no hooks here).
// The bar is a native <progress>-like role with its numbers in text, so it reads without colour.

export function RunStatusCell({ run, stalled }: { run: ScanRunItem; stalled?: boolean }) {
  const s = runStatus(run.status);
  const pct = progressPercent(run.done, run.total);
  const showBar = run.status === "RUNNING" || (run.status === "QUEUED" && run.total > 0);
  return (
    <div className="min-w-44" data-testid={`run-status-${run.id}`} data-status={run.status}>
      <StatusBadge tone={s.tone} label={s.label} testId={`run-state-${run.id}`} />
      {showBar ? (
        <div className="mt-1">
          <div
            role="progressbar"
            aria-label={`Progress of the ${run.kind.toLowerCase()} rescan`}
            aria-valuemin={0}
            aria-valuemax={run.total}
            aria-valuenow={run.done}
            aria-valuetext={`${run.done} of ${run.total} images`}
            className="h-1.5 w-full overflow-hidden rounded-full bg-surface-2"
          >
            <div className="h-full bg-accent transition-[width]" style={{ width: `${pct}%` }} />
          </div>
          <p className="mt-0.5 text-xs text-muted tabular-nums" data-testid={`run-progress-${run.id}`}>
            {run.done.toLocaleString("en-US")} / {run.total.toLocaleString("en-US")} images ({pct} %)
          </p>
        </div>
      ) : (run.status === "SUCCEEDED" || run.status === "FAILED") && run.total > 0 ? (
        <p className="mt-0.5 text-xs text-muted tabular-nums" data-testid={`run-progress-${run.id}`}>
          {run.done.toLocaleString("en-US")} / {run.total.toLocaleString("en-US")} images
        </p>
      ) : null}
      {run.status === "QUEUED" && stalled ? <p className="mt-0.5 max-w-56 text-xs text-muted">Waiting for a worker to pick it up.</p> : null}
      {run.status === "FAILED" && run.error ? (
        <p className="mt-0.5 max-w-64 text-xs text-danger" data-testid={`run-error-${run.id}`}>
          {run.error}
        </p>
      ) : null}
    </div>
  );
}
