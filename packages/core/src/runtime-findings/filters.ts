import { z } from "zod";
import { AppError } from "../errors.ts";
import { SEVERITIES } from "../posture-score.ts";

// The Runtime page's URL contract, shared by /runtime and GET /api/v1/runtime/findings: one parser and
// one serializer, so a link copied from the page works against the API. Only severity takes several
// values (repeated, or a comma list); the other filters take one (the first wins when repeated).

export const RUNTIME_SOURCES = ["falco", "bulwark-baseline"] as const;
export const RUNTIME_SORTS = ["lastSeen", "occurrences", "severity"] as const;
export const RUNTIME_STATUSES = ["OPEN", "RESOLVED", "SUPPRESSED"] as const;

export type RuntimeSort = (typeof RUNTIME_SORTS)[number];
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];
export type RuntimeSeverity = (typeof SEVERITIES)[number];

const SINCE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const runtimeFindingsQuerySchema = z.object({
  status: z.enum([...RUNTIME_STATUSES, "ALL"]).default("OPEN").meta({ description: 'Status (default OPEN); "ALL" means any status' }),
  severity: z.array(z.enum(SEVERITIES as [RuntimeSeverity, ...RuntimeSeverity[]])).max(5).default([]).meta({ description: "Severity; repeat or comma-separate for several" }),
  cluster: z.string().trim().min(1).max(253).optional().meta({ description: "Cluster name (also matches events from clusters the inventory does not know)" }),
  namespace: z.string().trim().min(1).max(63).optional().meta({ description: "Namespace name" }),
  workload: z.string().trim().min(1).max(40).optional().meta({ description: "Workload id (only aggregates whose workload was resolved against the inventory)" }),
  rule: z.string().trim().min(1).max(200).optional().meta({ description: "Exact rule (Falco rule name, or process-baseline-anomaly)" }),
  technique: z
    .string()
    .trim()
    .regex(/^T\d{4}(\.\d{3})?$/i, "A MITRE ATT&CK technique id such as T1059")
    .transform((v) => v.toUpperCase())
    .optional()
    .meta({ description: "MITRE ATT&CK technique id" }),
  source: z.enum(RUNTIME_SOURCES).optional().meta({ description: "falco: Falco rules; bulwark-baseline: processes outside a locked baseline" }),
  since: z
    .string()
    .trim()
    .refine((v) => SINCE_RE.test(v) && !Number.isNaN(Date.parse(v)), "A date (YYYY-MM-DD) or a date-time with a zone (2026-11-29T12:00:00Z)")
    .optional()
    .meta({ description: "Last seen at or after this instant (a bare date is midnight UTC)" }),
  q: z.string().trim().min(1).max(100).optional().meta({ description: "Text in the title or rule (case-insensitive)" }),
  sort: z.enum(RUNTIME_SORTS).default("lastSeen").meta({ description: "lastSeen: most recent first; occurrences: most events first; severity: most severe first, then most recent" }),
  cursor: z.string().min(1).max(500).optional().meta({ description: "nextCursor of the previous page (tied to its sort)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type RuntimeFindingsQuery = z.output<typeof runtimeFindingsQuerySchema>;
export type RuntimeQueryInput = URLSearchParams | string | Record<string, string | string[] | undefined | null>;

const SINGLE = ["status", "cluster", "namespace", "workload", "rule", "technique", "source", "since", "q", "sort", "cursor", "limit"] as const;

/** A query (URLSearchParams, "a=1&b=2", or Next's searchParams object) as the schema's input; empty values mean "any". */
function collect(input: RuntimeQueryInput): Record<string, unknown> {
  const pairs: [string, string][] = [];
  if (typeof input === "string") pairs.push(...new URLSearchParams(input.startsWith("?") ? input.slice(1) : input));
  else if (input instanceof URLSearchParams) pairs.push(...input);
  else for (const [k, v] of Object.entries(input)) for (const one of Array.isArray(v) ? v : v == null ? [] : [v]) pairs.push([k, String(one)]);
  const out: Record<string, unknown> = {};
  for (const [k, raw] of pairs) {
    const v = raw.trim();
    if (v === "") continue;
    if (k === "severity") {
      const vals = v.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
      out.severity = [...((out.severity as string[] | undefined) ?? []), ...vals];
    } else if ((SINGLE as readonly string[]).includes(k) && !(k in out)) {
      out[k] = k === "status" ? v.toUpperCase() : v;
    }
  }
  return out;
}

/** Parses the Runtime URL contract; bad values are VALIDATION_FAILED with field paths ("severity.1", "since"). */
export function parseRuntimeQuery(input: RuntimeQueryInput): RuntimeFindingsQuery {
  const parsed = runtimeFindingsQuerySchema.safeParse(collect(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  return { ...parsed.data, severity: [...new Set(parsed.data.severity)] };
}

/** The canonical query string (no "?", defaults left out, cursor only when asked) for links and the API. */
export function runtimeQueryString(q: Partial<RuntimeFindingsQuery>, opts: { cursor?: boolean } = {}): string {
  const p = new URLSearchParams();
  if (q.status && q.status !== "OPEN") p.set("status", q.status);
  for (const s of q.severity ?? []) p.append("severity", s);
  for (const k of ["cluster", "namespace", "workload", "rule", "technique", "source", "since", "q"] as const) {
    const v = q[k];
    if (v) p.set(k, v);
  }
  if (q.sort && q.sort !== "lastSeen") p.set("sort", q.sort);
  if (q.limit !== undefined && q.limit !== 50) p.set("limit", String(q.limit));
  if (opts.cursor && q.cursor) p.set("cursor", q.cursor);
  return p.toString();
}

/** True when a filter (not the sort or the page) narrows the default view of open aggregates. */
export function hasRuntimeFilters(q: RuntimeFindingsQuery): boolean {
  return runtimeQueryString({ ...q, sort: "lastSeen", limit: 50 }) !== "";
}
