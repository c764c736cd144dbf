// The exception list's filters live in the URL. Values the use case would refuse are dropped, so a
// hand-edited link shows the unfiltered list rather than an error page.

export const EXCEPTION_STATUSES = ["REQUESTED", "APPROVED", "REJECTED", "REVOKED"] as const;
export const EXCEPTION_KINDS = ["RISK_ACCEPTED", "FALSE_POSITIVE"] as const;
export const EXCEPTION_FLAG_FILTERS = ["unused", "broad"] as const;

export interface ExceptionFilters {
  status?: (typeof EXCEPTION_STATUSES)[number];
  kind?: (typeof EXCEPTION_KINDS)[number];
  flag?: (typeof EXCEPTION_FLAG_FILTERS)[number];
  cursor?: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined => (v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : undefined);

export function parseExceptionFilters(sp: SearchParams): ExceptionFilters {
  const cursor = first(sp.cursor);
  const f: ExceptionFilters = {
    status: oneOf(EXCEPTION_STATUSES, first(sp.status)?.toUpperCase()),
    kind: oneOf(EXCEPTION_KINDS, first(sp.kind)?.toUpperCase()),
    flag: oneOf(EXCEPTION_FLAG_FILTERS, first(sp.flag)),
    cursor: cursor && cursor.length <= 100 ? cursor : undefined,
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ExceptionFilters;
}

export function exceptionsHref(f: ExceptionFilters, cursor?: string): string {
  const p = new URLSearchParams();
  for (const key of ["status", "kind", "flag"] as const) if (f[key]) p.set(key, f[key]!);
  if (cursor) p.set("cursor", cursor);
  const q = p.toString();
  return q ? `/exceptions?${q}` : "/exceptions";
}
