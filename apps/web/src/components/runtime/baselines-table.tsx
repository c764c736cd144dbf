import { type BaselineView } from "@bulwark/core";
import Link from "next/link";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatDateTime, formatNumber } from "../format.ts";

// Process baselines: what each workload container has been seen executing. LEARNING ones still
// add what they see; LOCKED ones turn any other process into an anomaly finding.

export function BaselineStatus({ b, now }: { b: Pick<BaselineView, "status" | "learningEndsAt" | "lockedAt">; now: Date }) {
  if (b.status === "LOCKED") return <StatusBadge tone="ok" label="Locked" testId="baseline-status" />;
  const overdue = b.learningEndsAt <= now;
  return <StatusBadge tone="warn" label={overdue ? "Learning (locks with the next event)" : "Learning"} testId="baseline-status" />;
}

/** "3 min", "5 h", "2 d": how long until a learning window ends. */
export function untilText(ms: number): string {
  const min = Math.max(1, Math.ceil(ms / 60_000));
  if (min < 60) return `${min} min`;
  if (min < 48 * 60) return `${Math.round(min / 60)} h`;
  return `${Math.round(min / 1440)} d`;
}

/** Anomaly findings of a baseline's workload, on the Runtime list. */
export function anomaliesHref(workloadId: string): string {
  return `/runtime?source=bulwark-baseline&workload=${encodeURIComponent(workloadId)}`;
}

export function BaselinesTable({ rows, now }: { rows: BaselineView[]; now: Date }) {
  return (
    <table className="table" data-testid="baselines-table">
      <caption className="sr-only">Process baselines per workload container, most recently changed first</caption>
      <thead>
        <tr>
          <th scope="col">Workload / container</th>
          <th scope="col">Cluster / namespace</th>
          <th scope="col">Status</th>
          <th scope="col" className="text-right">
            Processes
          </th>
          <th scope="col">Learning ends / locked</th>
          <th scope="col" className="text-right">
            Open anomalies
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr key={b.id} data-testid="baseline-row" data-status={b.status}>
            <th scope="row" className="text-left text-sm font-normal tracking-normal text-fg normal-case">
              <Link href={`/runtime/baselines/${b.id}`} className="text-accent hover:underline">
                {b.workload.kind}/{b.workload.name}
              </Link>
              <span className="block font-mono text-xs text-muted">{b.container || "(unnamed container)"}</span>
            </th>
            <td className="text-xs">
              {b.workload.cluster}
              <span className="block font-mono text-muted">{b.workload.namespace}</span>
            </td>
            <td className="text-xs">
              <BaselineStatus b={b} now={now} />
            </td>
            <td className="text-right tabular-nums">{formatNumber(b.processes.length)}</td>
            <td className="text-xs whitespace-nowrap">
              {b.status === "LOCKED" ? (
                <>
                  Locked {formatDateTime(b.lockedAt)}
                  <span className="block text-muted">{b.lockedBy ? `by ${b.lockedBy}` : "when learning ended"}</span>
                </>
              ) : (
                <>
                  Ends {formatDateTime(b.learningEndsAt)}
                  <span className="block text-muted">{b.learningEndsAt > now ? `in ${untilText(b.learningEndsAt.getTime() - now.getTime())}` : "window over"}</span>
                </>
              )}
            </td>
            <td className="text-right tabular-nums">
              {b.openAnomalies > 0 ? (
                <Link href={anomaliesHref(b.workload.id)} className="font-semibold text-danger hover:underline" aria-label={`${b.openAnomalies} open anomalies of ${b.workload.name}`}>
                  {formatNumber(b.openAnomalies)}
                </Link>
              ) : (
                <span className="text-muted">0</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
