import { z } from "zod";
import { AppError } from "../errors.ts";

// The findings explorer's URL contract, shared by /findings, GET /api/v1/findings, the CSV export and
// saved views: one parser, one serializer, so a link copied from the page works against the API and a
// saved view replays exactly. Multi-valued params repeat (?severity=HIGH&severity=CRITICAL).

export const FINDING_TYPE_FILTERS = ["VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE", "RUNTIME", "POLICY_VIOLATION"] as const;
export const FINDING_SEVERITY_FILTERS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export const FINDING_STATUS_FILTERS = ["OPEN", "RESOLVED", "SUPPRESSED"] as const;
export const FINDING_SORTS = ["severity", "firstSeen", "lastSeen", "cvss"] as const;

export type FindingSort = (typeof FINDING_SORTS)[number];
export type SortDir = "asc" | "desc";

/** Params that take several values; the rest take one (the first wins when repeated). */
const MULTI = ["type", "severity", "status", "cluster", "namespace", "workload", "image", "rule", "source", "technique"] as const;
const SINGLE = ["fixable", "since", "q", "sort", "dir", "cursor", "limit"] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const list = <T extends z.ZodType>(item: T, max = 20) => z.array(item).max(max).default([]);

export const findingFiltersSchema = z.strictObject({
  type: list(z.enum(FINDING_TYPE_FILTERS)).meta({ description: "Finding type; repeat for several" }),
  severity: list(z.enum(FINDING_SEVERITY_FILTERS)).meta({ description: "Severity; repeat for several" }),
  status: list(z.enum([...FINDING_STATUS_FILTERS, "ALL"]), 4).meta({ description: 'Status (default OPEN); "ALL" means any status' }),
  cluster: list(text(253)).meta({ description: "Cluster name; image findings match when the image runs there" }),
  namespace: list(text(63)).meta({ description: "Namespace name (with cluster, or across clusters); image findings match when the image runs there" }),
  workload: list(text(40)).meta({ description: "Workload id; includes findings of the images it runs" }),
  image: list(text(40)).meta({ description: "Image id" }),
  rule: list(text(200)).meta({ description: "Exact rule id (CVE id, policy key, scanner check, Falco rule)" }),
  source: list(text(100)).meta({ description: "Finding source (trivy, admission, falco, …)" }),
  technique: list(z.string().trim().regex(/^T\d{4}(\.\d{3})?$/, "A MITRE ATT&CK technique id such as T1610")).meta({ description: "MITRE ATT&CK technique id" }),
  fixable: z.enum(["true", "false"]).optional().meta({ description: "Only findings with (true) or without (false) a fixed version" }),
  since: z.iso.date("A date as YYYY-MM-DD").optional().meta({ description: "First seen on or after this day (UTC)" }),
  q: z.string().trim().max(100).optional().meta({ description: "Text in the rule id, package name or title (case-insensitive substring)" }),
  sort: z.enum(FINDING_SORTS).default("severity"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  cursor: z.string().min(1).max(500).optional().meta({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export type FindingFiltersInput = z.input<typeof findingFiltersSchema>;

/** Parsed filters; `status: null` means any status. */
export interface FindingFilters {
  type: (typeof FINDING_TYPE_FILTERS)[number][];
  severity: (typeof FINDING_SEVERITY_FILTERS)[number][];
  status: (typeof FINDING_STATUS_FILTERS)[number][] | null;
  cluster: string[];
  namespace: string[];
  workload: string[];
  image: string[];
  rule: string[];
  source: string[];
  technique: string[];
  fixable?: boolean;
  since?: string;
  q?: string;
  sort: FindingSort;
  dir: SortDir;
  cursor?: string;
  limit: number;
}

export type QueryInput = URLSearchParams | string | Record<string, string | string[] | undefined | null>;

/** Collects a query (URLSearchParams, "a=1&b=2", or Next's searchParams object) into arrays and scalars. */
function collect(input: QueryInput): Record<string, unknown> {
  const pairs: [string, string][] = [];
  if (typeof input === "string") pairs.push(...new URLSearchParams(input.startsWith("?") ? input.slice(1) : input));
  else if (input instanceof URLSearchParams) pairs.push(...input);
  else for (const [k, v] of Object.entries(input)) for (const one of Array.isArray(v) ? v : v == null ? [] : [v]) pairs.push([k, one]);
  const out: Record<string, unknown> = {};
  for (const [k, raw] of pairs) {
    const v = raw.trim();
    if (v === "") continue; // an empty select ("Any") is no filter
    if ((MULTI as readonly string[]).includes(k)) {
      // "severity=HIGH,CRITICAL" reads like two values: API callers write it that way.
      const vals = v.split(",").map((s) => s.trim()).filter(Boolean);
      out[k] = [...((out[k] as string[] | undefined) ?? []), ...(k === "type" || k === "severity" || k === "status" ? vals.map((s) => s.toUpperCase()) : vals)];
    } else if ((SINGLE as readonly string[]).includes(k)) {
      if (!(k in out)) out[k] = v;
    }
    // Other params (a page's own, like ?saved=) are not filters and are ignored.
  }
  return out;
}

/**
 * Parses the findings URL contract. Unknown enum values are VALIDATION_FAILED with field paths
 * ("severity.1"); unknown params are ignored so pages can carry their own.
 */
export function parseFindingFilters(input: QueryInput): FindingFilters {
  const parsed = findingFiltersSchema.safeParse(collect(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const d = parsed.data;
  const status = d.status.length === 0 ? ["OPEN" as const] : d.status.includes("ALL") ? null : [...new Set(d.status as (typeof FINDING_STATUS_FILTERS)[number][])];
  return {
    type: [...new Set(d.type)],
    severity: [...new Set(d.severity)],
    status,
    cluster: [...new Set(d.cluster)],
    namespace: [...new Set(d.namespace)],
    workload: [...new Set(d.workload)],
    image: [...new Set(d.image)],
    rule: [...new Set(d.rule)],
    source: [...new Set(d.source)],
    technique: [...new Set(d.technique)],
    ...(d.fixable !== undefined ? { fixable: d.fixable === "true" } : {}),
    ...(d.since !== undefined ? { since: d.since } : {}),
    ...(d.q ? { q: d.q } : {}),
    sort: d.sort,
    dir: d.dir,
    ...(d.cursor !== undefined ? { cursor: d.cursor } : {}),
    limit: d.limit,
  };
}

export interface QueryStringOptions {
  /** Keep the cursor (default false: a link with new filters starts on the first page). */
  cursor?: boolean;
  /** Keep limit when it is not the default (default false). */
  limit?: boolean;
}

/** The canonical query string of `filters` (no leading "?"; defaults left out), for links, exports and saved views. */
export function findingsQueryString(filters: Partial<FindingFilters>, opts: QueryStringOptions = {}): string {
  const p = new URLSearchParams();
  for (const k of ["type", "severity"] as const) for (const v of filters[k] ?? []) p.append(k, v);
  if (filters.status === null) p.append("status", "ALL");
  else if (filters.status && !(filters.status.length === 1 && filters.status[0] === "OPEN")) for (const v of filters.status) p.append("status", v);
  for (const k of ["cluster", "namespace", "workload", "image", "rule", "source", "technique"] as const) for (const v of filters[k] ?? []) p.append(k, v);
  if (filters.fixable !== undefined) p.set("fixable", String(filters.fixable));
  if (filters.since) p.set("since", filters.since);
  if (filters.q) p.set("q", filters.q);
  if (filters.sort && filters.sort !== "severity") p.set("sort", filters.sort);
  if (filters.dir && filters.dir !== "desc") p.set("dir", filters.dir);
  if (opts.limit && filters.limit !== undefined && filters.limit !== 50) p.set("limit", String(filters.limit));
  if (opts.cursor && filters.cursor) p.set("cursor", filters.cursor);
  return p.toString();
}

/** True when any filter narrows the default view (OPEN findings, every type). */
export function hasActiveFilters(f: FindingFilters): boolean {
  return findingsQueryString({ ...f, sort: "severity", dir: "desc" }) !== "";
}
