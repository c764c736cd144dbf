import { type RuntimeFindingsQuery, runtimeQueryString, type RuntimeSort } from "@bulwark/core";

// URLs of the Runtime pages. Filters live in the query string (the same contract as
// GET /api/v1/runtime/findings), so a reload, a bookmark or a shared link shows the same list.

export const RUNTIME_PATH = "/runtime";

/** /runtime with `q` (a new filter drops the cursor unless one is given). */
export function runtimeHref(q: Partial<RuntimeFindingsQuery>, cursor?: string | null): string {
  const qs = runtimeQueryString({ ...q, cursor: cursor ?? undefined }, { cursor: !!cursor });
  return qs ? `${RUNTIME_PATH}?${qs}` : RUNTIME_PATH;
}

/** The list in another order (from its first page). */
export function runtimeSortHref(q: RuntimeFindingsQuery, sort: RuntimeSort): string {
  return runtimeHref({ ...q, sort });
}

/** The list narrowed to one severity, or widened back to all when it is the one shown. */
export function severityHref(q: RuntimeFindingsQuery, severity: string): string {
  const only = q.severity.length === 1 && q.severity[0] === severity;
  return runtimeHref({ ...q, severity: only ? [] : [severity as RuntimeFindingsQuery["severity"][number]] });
}

export interface FilterChip {
  label: string;
  removeHref: string;
}

const CHIP_LABELS = { cluster: "Cluster", namespace: "Namespace", workload: "Workload", rule: "Rule", technique: "Technique", source: "Source", since: "Seen since", q: "Text" } as const;

/** The active filters, each with a link that removes it. */
export function runtimeChips(q: RuntimeFindingsQuery): FilterChip[] {
  const chips: FilterChip[] = [];
  if (q.status !== "OPEN") chips.push({ label: `Status: ${q.status === "ALL" ? "any" : q.status.toLowerCase()}`, removeHref: runtimeHref({ ...q, status: "OPEN" }) });
  for (const s of q.severity) chips.push({ label: `Severity: ${s.toLowerCase()}`, removeHref: runtimeHref({ ...q, severity: q.severity.filter((x) => x !== s) }) });
  for (const k of Object.keys(CHIP_LABELS) as (keyof typeof CHIP_LABELS)[]) {
    const v = q[k];
    if (v) chips.push({ label: `${CHIP_LABELS[k]}: ${v}`, removeHref: runtimeHref({ ...q, [k]: undefined }) });
  }
  return chips;
}

export const RUNTIME_SOURCE_LABELS: Record<string, string> = { falco: "Falco", "bulwark-baseline": "Process baseline" };
