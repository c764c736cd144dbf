import { type FindingFilters, type FindingSort, findingsQueryString } from "@bulwark/core";
import { titleCase } from "../format.ts";

// Links of the findings explorer. Every state (filters, sort, page) lives in the URL, so links are
// built from the parsed filters with findingsQueryString: the same canonical form the API and saved
// views use.

export const FINDINGS_PATH = "/findings";
export const EXPORT_PATH = "/api/v1/findings/export.csv";

const withQuery = (path: string, qs: string) => (qs ? `${path}?${qs}` : path);

/** The explorer with `filters` (first page unless a cursor is given). */
export function findingsHref(filters: Partial<FindingFilters>, cursor?: string): string {
  return withQuery(FINDINGS_PATH, findingsQueryString({ ...filters, ...(cursor ? { cursor } : {}) }, { cursor: Boolean(cursor) }));
}

export function exportHref(filters: Partial<FindingFilters>): string {
  return withQuery(EXPORT_PATH, findingsQueryString(filters));
}

/** Sorting by `sort`: the current column flips direction, another column starts descending. */
export function sortHref(filters: FindingFilters, sort: FindingSort): string {
  const dir = filters.sort === sort && filters.dir === "desc" ? "asc" : "desc";
  return findingsHref({ ...filters, sort, dir });
}

export function ariaSort(filters: FindingFilters, sort: FindingSort): "ascending" | "descending" | undefined {
  if (filters.sort !== sort) return undefined;
  return filters.dir === "asc" ? "ascending" : "descending";
}

export interface FilterChip {
  key: string;
  label: string;
  /** The same view without this one value. */
  removeHref: string;
}

const LIST_KEYS = ["type", "severity", "cluster", "namespace", "workload", "image", "rule", "source", "technique"] as const;
const LIST_LABELS: Record<(typeof LIST_KEYS)[number], string> = {
  type: "Type",
  severity: "Severity",
  cluster: "Cluster",
  namespace: "Namespace",
  workload: "Workload",
  image: "Image",
  rule: "Rule",
  source: "Source",
  technique: "Technique",
};

/** One chip per active filter value, each with a link removing just that value. */
export function filterChips(f: FindingFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  const base: FindingFilters = { ...f, cursor: undefined };
  for (const k of LIST_KEYS) {
    for (const v of f[k] as string[]) {
      const label = k === "type" || k === "severity" ? titleCase(v) : v;
      chips.push({ key: `${k}:${v}`, label: `${LIST_LABELS[k]}: ${label}`, removeHref: findingsHref({ ...base, [k]: (f[k] as string[]).filter((x) => x !== v) }) });
    }
  }
  if (f.status === null) chips.push({ key: "status:ALL", label: "Status: any", removeHref: findingsHref({ ...base, status: ["OPEN"] }) });
  else if (!(f.status.length === 1 && f.status[0] === "OPEN")) {
    for (const s of f.status) {
      const rest = f.status.filter((x) => x !== s);
      chips.push({ key: `status:${s}`, label: `Status: ${titleCase(s)}`, removeHref: findingsHref({ ...base, status: rest.length ? rest : ["OPEN"] }) });
    }
  }
  if (f.fixable !== undefined) chips.push({ key: "fixable", label: f.fixable ? "Fix available" : "No fix available", removeHref: findingsHref({ ...base, fixable: undefined }) });
  if (f.since) chips.push({ key: "since", label: `First seen since ${f.since}`, removeHref: findingsHref({ ...base, since: undefined }) });
  if (f.q) chips.push({ key: "q", label: `Search: ${f.q}`, removeHref: findingsHref({ ...base, q: undefined }) });
  return chips;
}
