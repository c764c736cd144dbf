// The advisory list's filters live in the URL; values the use case would refuse are dropped here so a
// hand-edited link shows the unfiltered list instead of an error page.

export const ADVISORY_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;

export interface AdvisoryFilters {
  q?: string;
  ecosystem?: string;
  severity?: (typeof ADVISORY_SEVERITIES)[number];
  withdrawn?: "true" | "false";
  cursor?: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const bounded = (v: string | undefined, max: number) => (v !== undefined && v.length <= max ? v : undefined);

export function parseAdvisoryFilters(sp: SearchParams): AdvisoryFilters {
  const severity = first(sp.severity)?.toUpperCase();
  const withdrawn = first(sp.withdrawn);
  const f: AdvisoryFilters = {
    q: bounded(first(sp.q), 200),
    ecosystem: bounded(first(sp.ecosystem), 100),
    severity: (ADVISORY_SEVERITIES as readonly string[]).includes(severity ?? "") ? (severity as AdvisoryFilters["severity"]) : undefined,
    withdrawn: withdrawn === "true" || withdrawn === "false" ? withdrawn : undefined,
    cursor: bounded(first(sp.cursor), 100),
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as AdvisoryFilters;
}

/** The list URL for these filters (without the cursor unless given). */
export function advisoriesHref(f: AdvisoryFilters, cursor?: string): string {
  const p = new URLSearchParams();
  for (const key of ["q", "ecosystem", "severity", "withdrawn"] as const) if (f[key]) p.set(key, f[key]!);
  if (cursor) p.set("cursor", cursor);
  const q = p.toString();
  return q ? `/vulnerabilities/advisories?${q}` : "/vulnerabilities/advisories";
}
