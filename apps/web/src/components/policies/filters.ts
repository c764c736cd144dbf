import { ENFORCEMENT_MODES, SEVERITIES, STAGES } from "@bulwark/policy";

// The policy list's filters live in the URL (?category=&severity=…) so reload, back and shared links
// keep them. Unknown values are dropped here rather than turned into a validation error page.

export interface PolicyFilters {
  category?: string;
  severity?: (typeof SEVERITIES)[number];
  stage?: (typeof STAGES)[number];
  enforcement?: (typeof ENFORCEMENT_MODES)[number];
  enabled?: "true" | "false";
  builtin?: "true" | "false";
  q?: string;
}

export type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined => (v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : undefined);

export function parsePolicyFilters(sp: SearchParams): PolicyFilters {
  const category = first(sp.category);
  const q = first(sp.q);
  const f: PolicyFilters = {
    category: category && category.length <= 100 ? category : undefined,
    severity: oneOf(SEVERITIES, first(sp.severity)),
    stage: oneOf(STAGES, first(sp.stage)),
    enforcement: oneOf(ENFORCEMENT_MODES, first(sp.enforcement)),
    enabled: oneOf(["true", "false"] as const, first(sp.enabled)),
    builtin: oneOf(["true", "false"] as const, first(sp.builtin)),
    q: q ? q.slice(0, 200) : undefined,
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as PolicyFilters;
}

export function hasFilters(f: PolicyFilters): boolean {
  return Object.keys(f).length > 0;
}

export function filtersToQuery(f: PolicyFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined) params.set(k, v);
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}
