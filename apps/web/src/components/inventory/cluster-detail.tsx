import { type ClusterDetail } from "@bulwark/core";
import Link from "next/link";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatAge, formatDateTime, formatNumber } from "../format.ts";

// The cluster page's summary pieces: connector staleness and the Pod Security Standards spread.

export function ConnectorStatus({ cluster, now }: { cluster: Pick<ClusterDetail, "stale" | "lastReportAt" | "staleAfterMs" | "name">; now: Date }) {
  const hours = Math.round(cluster.staleAfterMs / 3_600_000);
  return (
    <div className="space-y-1 text-sm" data-testid="cluster-connector" data-stale={cluster.stale}>
      {cluster.stale ? (
        <StatusBadge tone="warn" label={cluster.lastReportAt ? "Stale: the connector stopped reporting" : "Never reported"} />
      ) : (
        <StatusBadge tone="ok" label="Reporting" />
      )}
      <p className="text-muted">
        Last inventory report {cluster.lastReportAt ? `${formatAge(cluster.lastReportAt, now)} (${formatDateTime(cluster.lastReportAt)})` : "never"}. A cluster is stale after{" "}
        {hours === 1 ? "an hour" : `${hours} hours`} without a report; what is shown may be out of date.
      </p>
      {cluster.stale ? (
        <p>
          <Link href="/connectors" className="text-accent underline">
            Check the connector on the Connectors page
          </Link>
        </p>
      ) : null}
    </div>
  );
}

const PSS_ROWS = [
  { key: "restricted", label: "Restricted", hint: "hardened" },
  { key: "baseline", label: "Baseline", hint: "minimally restricted" },
  { key: "privileged", label: "Privileged", hint: "fails baseline" },
  { key: "unevaluated", label: "Not evaluated", hint: "not evaluated yet" },
] as const;

export function PssLevels({ levels, cluster }: { levels: ClusterDetail["pssLevels"]; cluster: string }) {
  const total = PSS_ROWS.reduce((s, r) => s + levels[r.key], 0);
  return (
    <table className="table" data-testid="cluster-pss">
      <caption className="sr-only">Live workloads by the highest Pod Security Standards level they meet</caption>
      <thead>
        <tr>
          <th scope="col">Level</th>
          <th scope="col" className="text-right">
            Workloads
          </th>
          <th scope="col" className="text-right">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {PSS_ROWS.map((r) => (
          <tr key={r.key}>
            <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
              {r.label} <span className="text-xs font-normal text-muted">({r.hint})</span>
            </th>
            <td className="text-right tabular-nums">
              <Link href={`/workloads?cluster=${encodeURIComponent(cluster)}&pssLevel=${r.key}`} className="underline decoration-dotted" data-testid={`pss-count-${r.key}`}>
                {formatNumber(levels[r.key])}
              </Link>
            </td>
            <td className="text-right text-muted tabular-nums">{total === 0 ? "—" : `${Math.round((levels[r.key] / total) * 100)}%`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
