import { type ClusterRow } from "@bulwark/core";
import Link from "next/link";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatAge, formatDateTime, formatNumber } from "../format.ts";
import { SeverityCountsInline } from "./severity-counts.tsx";
import { SortHeader, type SortableColumn } from "./sort-header.tsx";

export const CLUSTER_ASC = ["name"] as const;

export function ClustersTable({ rows, table, now }: { rows: ClusterRow[]; table: SortableColumn; now: Date }) {
  return (
    <table className="table table-fixed" data-testid="clusters-table">
      <caption className="sr-only">Clusters with their counts and open findings. Column headers sort the list.</caption>
      <colgroup>
        <col className="w-[22%]" />
        <col className="w-[14%]" />
        <col className="w-[10%]" />
        <col className="w-[10%]" />
        <col className="w-[26%]" />
        <col className="w-[8%]" />
        <col className="w-[10%]" />
      </colgroup>
      <thead>
        <tr>
          <SortHeader column="name" label="Cluster" table={table} />
          <th scope="col">Version</th>
          <th scope="col">Namespaces</th>
          <SortHeader column="workloads" label="Workloads" table={table} />
          <SortHeader column="critical" label="Open findings" table={table} />
          <th scope="col">Enforcers</th>
          <SortHeader column="lastReport" label="Last report" table={table} />
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-testid="clusters-row" data-stale={c.stale}>
            <th scope="row" className="truncate text-left text-sm font-medium tracking-normal text-fg normal-case">
              <Link href={`/clusters/${c.id}`} className="text-accent underline" title={c.name}>
                {c.name}
              </Link>
            </th>
            <td className="truncate text-xs">
              {c.kubernetesVersion ?? "—"}
              <span className="block text-muted">{c.provider ?? ""}</span>
            </td>
            <td className="tabular-nums">
              <Link href={`/namespaces?cluster=${encodeURIComponent(c.name)}`} className="underline decoration-dotted" aria-label={`${c.namespaces} namespaces in ${c.name}`}>
                {formatNumber(c.namespaces)}
              </Link>
            </td>
            <td className="tabular-nums">
              <Link href={`/workloads?cluster=${encodeURIComponent(c.name)}`} className="underline decoration-dotted" aria-label={`${c.workloads} workloads in ${c.name}`}>
                {formatNumber(c.workloads)}
              </Link>
            </td>
            <td>
              <SeverityCountsInline counts={c.openFindings} scope={{ cluster: c.name }} label={c.name} />
            </td>
            <td className="tabular-nums">{formatNumber(c.enforcementPoints)}</td>
            <td className="text-xs">
              {c.stale ? (
                <StatusBadge tone="warn" label={c.lastReportAt ? "Stale" : "Never reported"} title={`Last report ${formatDateTime(c.lastReportAt)}`} />
              ) : (
                <StatusBadge tone="ok" label="Reporting" title={`Last report ${formatDateTime(c.lastReportAt)}`} />
              )}
              <span className="block text-muted">{formatAge(c.lastReportAt, now)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
