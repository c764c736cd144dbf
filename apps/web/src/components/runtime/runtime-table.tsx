import { type AttackRef, type RuntimeFindingItem, type RuntimeFindingsQuery, type RuntimeSort } from "@bulwark/core";
import Link from "next/link";
import { formatDateTime, formatNumber, titleCase, truncate } from "../format.ts";
import { SeverityBadge } from "../policies/badges.tsx";
import { RUNTIME_SOURCE_LABELS, runtimeSortHref } from "./links.ts";

// The runtime aggregates: one row per rule, place and image, newest activity first. The title is
// the row header and its link; sortable columns are header links announcing the order (aria-sort).
// Every order is descending (most recent, most events, most severe), so a header only switches order.

function SortHeader({ q, sort, label, className }: { q: RuntimeFindingsQuery; sort: RuntimeSort; label: string; className?: string }) {
  const active = q.sort === sort;
  return (
    <th scope="col" aria-sort={active ? "descending" : undefined} className={className}>
      <Link href={runtimeSortHref(q, sort)} className="hover:underline" data-testid={`runtime-sort-${sort}`}>
        {label}
        <span aria-hidden="true">{active ? " ▼" : ""}</span>
        <span className="sr-only">{active ? ", sorted" : ", activate to sort by this column"}</span>
      </Link>
    </th>
  );
}

export function Techniques({ items, tactics = [] }: { items: AttackRef[]; tactics?: AttackRef[] }) {
  if (items.length === 0 && tactics.length === 0) return <span className="text-muted">—</span>;
  return (
    <ul className="space-y-0.5" data-testid="runtime-techniques">
      {items.map((t) => (
        <li key={t.id}>
          <Link href={`/runtime?technique=${encodeURIComponent(t.id)}`} className="font-mono text-accent hover:underline">
            {t.id}
          </Link>{" "}
          {t.name ? <span>{t.name}</span> : null}
        </li>
      ))}
      {tactics.length ? <li className="text-muted">{tactics.map((t) => t.name ?? t.id).join(", ")}</li> : null}
    </ul>
  );
}

export function RuntimePlace({ r }: { r: Pick<RuntimeFindingItem, "workload" | "workloadName" | "cluster" | "namespace" | "pod" | "container"> }) {
  return (
    <>
      {r.workload ? (
        <Link href={`/workloads/${r.workload.id}`} className="text-accent hover:underline">
          {r.workload.kind ? `${r.workload.kind}/` : ""}
          {r.workload.name}
        </Link>
      ) : r.workloadName ? (
        <span title="Not found in the inventory">
          {r.workloadName} <span className="text-muted">(not in inventory)</span>
        </span>
      ) : (
        <span className="text-muted">No workload</span>
      )}
      <span className="block text-muted">{[r.cluster ?? "unknown cluster", r.namespace].filter(Boolean).join(" / ")}</span>
      {r.pod || r.container ? <span className="block font-mono text-muted">{[r.pod, r.container].filter(Boolean).join(" · ")}</span> : null}
    </>
  );
}

export function StatusText({ status, exceptionId }: { status: string; exceptionId: string | null }) {
  return (
    <>
      {titleCase(status)}
      {exceptionId ? (
        <Link href={`/exceptions/${exceptionId}`} className="block text-accent hover:underline">
          exception
        </Link>
      ) : null}
    </>
  );
}

export function RuntimeTable({ rows, q }: { rows: RuntimeFindingItem[]; q: RuntimeFindingsQuery }) {
  return (
    <table className="table" data-testid="runtime-table">
      <caption className="sr-only">Runtime findings matching the filters. Sortable column headers change the order.</caption>
      <thead>
        <tr>
          <SortHeader q={q} sort="severity" label="Severity" />
          <th scope="col">Detection</th>
          <th scope="col">Where</th>
          <th scope="col">Image</th>
          <th scope="col">MITRE ATT&amp;CK</th>
          <SortHeader q={q} sort="occurrences" label="Events" className="text-right" />
          <th scope="col">Status</th>
          <SortHeader q={q} sort="lastSeen" label="Last seen" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="runtime-row" data-finding-id={r.id} data-status={r.status}>
            <td data-severity={r.severity}>
              <SeverityBadge severity={r.severity} />
            </td>
            <th scope="row" className="min-w-64 text-left align-top text-sm font-normal tracking-normal text-fg normal-case">
              <Link href={`/runtime/${r.id}`} className="text-accent hover:underline" title={r.title}>
                {truncate(r.title, 120)}
              </Link>
              <span className="block text-xs text-muted">
                {RUNTIME_SOURCE_LABELS[r.source] ?? r.source}
                {r.process ? (
                  <>
                    {" · "}
                    <span className="font-mono">{r.process}</span>
                  </>
                ) : null}
              </span>
            </th>
            <td className="text-xs">
              <RuntimePlace r={r} />
            </td>
            <td className="max-w-56 font-mono text-xs break-all">{r.image ?? <span className="text-muted">—</span>}</td>
            <td className="text-xs">
              <Techniques items={r.mitreTechniques} />
            </td>
            <td className="text-right tabular-nums">{formatNumber(r.occurrences)}</td>
            <td className="text-xs whitespace-nowrap">
              <StatusText status={r.status} exceptionId={r.exceptionId} />
            </td>
            <td className="text-xs whitespace-nowrap">
              {formatDateTime(r.lastSeen)}
              <span className="block text-muted">first {formatDateTime(r.firstSeen)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
