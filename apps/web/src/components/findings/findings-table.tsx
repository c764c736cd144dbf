import { type FindingFilters, type FindingListRow, type FindingSort } from "@bulwark/core";
import Link from "next/link";
import { SeverityBadge } from "../policies/badges.tsx";
import { formatDateTime, titleCase, truncate } from "../format.ts";
import { ariaSort, sortHref } from "./links.ts";

// The explorer's table: a real <table> with column and row headers; the title is the row's link
// (focusable, the first stop per row after its checkbox). Sortable columns are header links that
// announce the current order through aria-sort. Checkboxes belong to the triage form by its id, so
// the table needs no enclosing form and the filter form stays a plain GET.

export const TRIAGE_FORM_ID = "triage-form";

function SortHeader({ filters, sort, label, className }: { filters: FindingFilters; sort: FindingSort; label: string; className?: string }) {
  const current = ariaSort(filters, sort);
  return (
    <th scope="col" aria-sort={current} className={className}>
      <Link href={sortHref(filters, sort)} className="hover:underline" data-testid={`sort-${sort}`}>
        {label}
        <span aria-hidden="true">{current === "ascending" ? " ▲" : current === "descending" ? " ▼" : ""}</span>
        <span className="sr-only">{current ? `, sorted ${current}; activate to reverse` : ", activate to sort"}</span>
      </Link>
    </th>
  );
}

function Place({ r }: { r: FindingListRow }) {
  if (r.workload) {
    return (
      <>
        <Link href={`/workloads/${r.workloadId}`} className="text-accent hover:underline">
          {r.workloadKind ? `${r.workloadKind}/` : ""}
          {r.workload}
        </Link>
        <span className="block text-muted">
          {r.cluster}
          {r.namespace ? ` / ${r.namespace}` : ""}
        </span>
      </>
    );
  }
  if (r.cluster) {
    return (
      <Link href={`/clusters/${r.clusterId}`} className="text-accent hover:underline">
        {r.cluster}
        {r.namespace ? ` / ${r.namespace}` : ""}
      </Link>
    );
  }
  return <span className="text-muted">—</span>;
}

export function FindingsTable({ rows, filters, selectable }: { rows: FindingListRow[]; filters: FindingFilters; selectable: boolean }) {
  return (
    <table className="table" data-testid="findings-table">
      <caption className="sr-only">Findings matching the filters</caption>
      <thead>
        <tr>
          {selectable ? (
            <th scope="col">
              <span className="sr-only">Select</span>
            </th>
          ) : null}
          <SortHeader filters={filters} sort="severity" label="Severity" />
          <th scope="col">Finding</th>
          <th scope="col">Package</th>
          <th scope="col">Image</th>
          <th scope="col">Where</th>
          <th scope="col">Status</th>
          <SortHeader filters={filters} sort="cvss" label="CVSS" className="text-right" />
          <SortHeader filters={filters} sort="firstSeen" label="First seen" />
          <SortHeader filters={filters} sort="lastSeen" label="Last seen" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="finding-row" data-finding-id={r.id} data-status={r.status}>
            {selectable ? (
              <td>
                {/* Named by title rather than a label: finding titles are free text and must not collide with the filter labels. */}
                <input type="checkbox" name="ids" value={r.id} form={TRIAGE_FORM_ID} title={`Select: ${r.title}`} data-testid="finding-select" />
              </td>
            ) : null}
            <td data-severity={r.severity}>
              <SeverityBadge severity={r.severity} />
            </td>
            <th scope="row" className="min-w-64 text-left align-top text-sm font-normal tracking-normal text-fg normal-case">
              <Link href={`/findings/${r.id}`} className="text-accent hover:underline" title={r.title}>
                {truncate(r.title, 120)}
              </Link>
              <span className="block text-xs text-muted">
                {titleCase(r.type)} · <span className="font-mono">{r.ruleId}</span>
              </span>
            </th>
            <td className="text-xs">
              {r.packageName ? (
                <>
                  <span className="font-mono">{r.packageName}</span>
                  {r.packageVersion ? <span className="block font-mono text-muted">{r.packageVersion}</span> : null}
                  {r.fixedVersion ? <span className="block text-ok">fixed in {r.fixedVersion}</span> : <span className="block text-muted">no fix</span>}
                </>
              ) : (
                "—"
              )}
            </td>
            <td className="max-w-56 text-xs break-all">
              {r.imageId && r.image ? (
                <Link href={`/images/${r.imageId}`} className="font-mono text-accent hover:underline">
                  {r.image}
                </Link>
              ) : (
                "—"
              )}
            </td>
            <td className="text-xs">
              <Place r={r} />
            </td>
            <td className="text-xs whitespace-nowrap">
              {titleCase(r.status)}
              {r.exceptionId ? (
                <Link href={`/exceptions/${r.exceptionId}`} className="block text-accent hover:underline">
                  exception
                </Link>
              ) : null}
            </td>
            <td className="text-right tabular-nums">{r.cvssScore !== null ? r.cvssScore.toFixed(1) : "—"}</td>
            <td className="text-xs whitespace-nowrap">{formatDateTime(r.firstSeen)}</td>
            <td className="text-xs whitespace-nowrap">{formatDateTime(r.lastSeen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
