import { formatDateTime, titleCase } from "../format.ts";
import { LiveRunStatus } from "./run-progress.tsx";
import { RunStatusCell } from "./run-status.tsx";
import { describeTrigger, isActive, statsSummary, type ScanRunItem } from "./scan-run.ts";

// The latest re-match runs. Active runs get a live status cell; finished ones are plain markup.

const KIND_LABEL: Record<string, string> = {
  FULL: "Organization",
  DELTA: "Advisory changes",
  IMAGE: "Image",
  CLUSTER: "Cluster",
  INGEST: "Scanner report",
};

export function ScanRunsTable({ runs }: { runs: ScanRunItem[] }) {
  if (runs.length === 0) {
    return (
      <p className="px-4 pb-4 text-sm text-muted" data-testid="scan-runs-empty">
        No re-match has run yet. Runs appear here when the schedule fires, when advisories change, or when someone starts a rescan.
      </p>
    );
  }
  return (
    <table className="table" data-testid="scan-runs-table">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Status</th>
          <th scope="col">Trigger</th>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-testid={`scan-run-row-${r.id}`} data-kind={r.kind}>
            <th scope="row" className="text-left align-top text-sm font-medium tracking-normal text-fg normal-case">
              {KIND_LABEL[r.kind] ?? titleCase(r.kind)}
              {r.targetLabel ? <span className="block max-w-64 truncate font-mono text-xs font-normal text-muted" title={r.targetLabel}>{r.targetLabel}</span> : null}
            </th>
            <td>{isActive(r.status) ? <LiveRunStatus key={`${r.id}:${r.status}:${r.done}`} run={r} /> : <RunStatusCell run={r} />}</td>
            <td className="max-w-48 truncate text-xs" title={r.trigger}>
              {describeTrigger(r.trigger)}
            </td>
            <td className="text-xs whitespace-nowrap">{formatDateTime(r.startedAt)}</td>
            <td className="text-xs whitespace-nowrap">{formatDateTime(r.finishedAt)}</td>
            <td className="text-xs text-muted" data-testid={`run-stats-${r.id}`}>
              {statsSummary(r.stats) || "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
