import { type WorkloadRow } from "@bulwark/core";
import Link from "next/link";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatAge } from "../format.ts";
import { riskBand } from "../vulnerabilities/risk.ts";
import { PssBadge } from "./pss-badge.tsx";
import { SeverityCountsInline } from "./severity-counts.tsx";
import { SortHeader, type SortableColumn } from "./sort-header.tsx";

export const WORKLOAD_ASC = ["name"] as const;

export function WorkloadsTable({ rows, table, now }: { rows: WorkloadRow[]; table: SortableColumn; now: Date }) {
  return (
    <table className="table table-fixed" data-testid="workloads-table">
      <caption className="sr-only">Workloads with their risk, Pod Security Standards level, exposure and open findings. Column headers sort the list.</caption>
      <colgroup>
        <col className="w-[22%]" />
        <col className="w-[18%]" />
        <col className="w-[10%]" />
        <col className="w-[10%]" />
        <col className="w-[8%]" />
        <col className="w-[22%]" />
        <col className="w-[10%]" />
      </colgroup>
      <thead>
        <tr>
          <SortHeader column="name" label="Workload" table={table} />
          <th scope="col">Cluster / namespace</th>
          <SortHeader column="risk" label="Risk" table={table} />
          <th scope="col">PSS level</th>
          <th scope="col">Exposed</th>
          <th scope="col">Open findings</th>
          <SortHeader column="lastSeen" label="Last seen" table={table} />
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => {
          const band = riskBand(w.riskScore);
          return (
            <tr key={w.id} data-testid="workloads-row" data-deleted={w.deleted}>
              <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
                <Link href={`/workloads/${w.id}`} className="block truncate text-accent underline" title={w.name}>
                  {w.name}
                </Link>
                <span className="block text-xs font-normal text-muted">
                  {w.kind}
                  {w.deleted ? " · deleted" : ""}
                </span>
              </th>
              <td className="truncate text-xs">
                <Link href={`/clusters/${w.cluster.id}`} className="underline decoration-dotted">
                  {w.cluster.name}
                </Link>
                <span className="block font-mono text-muted" title={w.namespace.name}>
                  {w.namespace.name}
                </span>
              </td>
              <td className="tabular-nums">
                <span className="font-semibold" aria-label={`Risk score ${w.riskScore} of 100`}>
                  {w.riskScore}
                </span>{" "}
                <span className="text-xs">
                  <StatusBadge tone={band.tone} label={band.label} />
                </span>
              </td>
              <td>
                <PssBadge level={w.pssLevel} />
              </td>
              <td className="text-xs">{w.exposed ? <StatusBadge tone="warn" label="Yes" /> : <span className="text-muted">No</span>}</td>
              <td>
                <SeverityCountsInline counts={w.openFindings} scope={{ workload: w.id }} label={w.name} />
              </td>
              <td className="text-xs text-muted">{formatAge(w.lastSeen, now)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
