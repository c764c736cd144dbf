import { type NamespaceRow } from "@bulwark/core";
import Link from "next/link";
import { formatAge, formatNumber } from "../format.ts";
import { SeverityCountsInline } from "./severity-counts.tsx";
import { SortHeader, type SortableColumn } from "./sort-header.tsx";

export const NAMESPACE_ASC = ["name", "cluster"] as const;

type Row = Pick<NamespaceRow, "id" | "name" | "workloads" | "lastSeen" | "openFindings"> & { cluster: { id: string; name: string } };

/** Namespaces with counts; `table` makes headers sortable (the cluster page shows them unsorted). */
export function NamespacesTable({ rows, table, now, showCluster = true }: { rows: Row[]; table?: SortableColumn; now: Date; showCluster?: boolean }) {
  const header = (column: string, label: string) => (table ? <SortHeader column={column} label={label} table={table} /> : <th scope="col">{label}</th>);
  return (
    <table className="table table-fixed" data-testid="namespaces-table">
      <caption className="sr-only">Namespaces with their workloads and open findings.</caption>
      <thead>
        <tr>
          {header("name", "Namespace")}
          {showCluster ? header("cluster", "Cluster") : null}
          {header("workloads", "Workloads")}
          <th scope="col" className="w-[40%]">
            Open findings
          </th>
          {header("lastSeen", "Last seen")}
        </tr>
      </thead>
      <tbody>
        {rows.map((n) => {
          const label = `${n.cluster.name}/${n.name}`;
          return (
            <tr key={n.id} data-testid="namespaces-row">
              <th scope="row" className="truncate text-left font-mono text-xs font-medium tracking-normal text-fg normal-case" title={n.name}>
                {n.name}
              </th>
              {showCluster ? (
                <td className="truncate">
                  <Link href={`/clusters/${n.cluster.id}`} className="text-accent underline">
                    {n.cluster.name}
                  </Link>
                </td>
              ) : null}
              <td className="tabular-nums">
                <Link
                  href={`/workloads?cluster=${encodeURIComponent(n.cluster.name)}&namespace=${encodeURIComponent(n.name)}`}
                  className="underline decoration-dotted"
                  aria-label={`${n.workloads} workloads in ${label}`}
                >
                  {formatNumber(n.workloads)}
                </Link>
              </td>
              <td>
                <SeverityCountsInline counts={n.openFindings} scope={{ cluster: n.cluster.name, namespace: n.name }} label={label} />
              </td>
              <td className="text-xs text-muted">{formatAge(n.lastSeen, now)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
