// OSV affected ranges as intervals people read ("≥ 1.2.0, < 1.2.5") instead of event lists. The
// stored JSON comes from public feeds, so every shape is checked and anything odd is skipped rather
// than thrown on.

export interface RangeView {
  type: string;
  repo: string | null;
  intervals: string[];
}

type Event = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

function readEvents(raw: unknown): Event[] {
  if (!Array.isArray(raw)) return [];
  const out: Event[] = [];
  for (const e of raw) {
    if (!e || typeof e !== "object") continue;
    const o = e as Record<string, unknown>;
    for (const key of ["introduced", "fixed", "last_affected", "limit"] as const) {
      const v = o[key];
      if (typeof v === "string" && v !== "") {
        out.push({ [key]: v } as Event);
        break;
      }
    }
  }
  return out;
}

/** "0" means "from the first version on" in OSV. */
const fromStart = (v: string) => v === "0";

/**
 * Intervals of one range: each `introduced` opens one, the next `fixed` (exclusive), `last_affected`
 * (inclusive) or `limit` (exclusive) closes it; one left open is affected with no fix yet.
 */
export function rangeIntervals(events: unknown): string[] {
  const out: string[] = [];
  let open: string | null = null;
  const lower = (v: string) => (fromStart(v) ? "" : `≥ ${v}`);
  const close = (upper: string) => {
    if (open === null) {
      // A bound without an opening event: OSV implies "introduced: 0".
      out.push(`every version ${upper}`);
      return;
    }
    out.push(fromStart(open) ? `every version ${upper}` : `${lower(open)}, ${upper}`);
    open = null;
  };
  for (const e of readEvents(events)) {
    if ("introduced" in e) {
      if (open !== null) out.push(fromStart(open) ? "every version" : `${lower(open)} (no fix)`);
      open = e.introduced;
    } else if ("fixed" in e) close(`< ${e.fixed}`);
    else if ("last_affected" in e) close(`≤ ${e.last_affected}`);
    else close(`< ${e.limit}`);
  }
  if (open !== null) out.push(fromStart(open) ? "every version (no fix)" : `${lower(open)} (no fix)`);
  return out;
}

export function describeRanges(ranges: unknown): RangeView[] {
  if (!Array.isArray(ranges)) return [];
  return ranges.flatMap((r): RangeView[] => {
    if (!r || typeof r !== "object") return [];
    const o = r as Record<string, unknown>;
    const intervals = rangeIntervals(o.events);
    if (intervals.length === 0) return [];
    return [{ type: typeof o.type === "string" ? o.type : "ECOSYSTEM", repo: typeof o.repo === "string" ? o.repo : null, intervals }];
  });
}

export interface ReferenceLink {
  type: string;
  url: string;
}

/** References that are http(s) links; anything else (javascript:, data:) is never rendered as a link. */
export function referenceLinks(references: unknown): ReferenceLink[] {
  if (!Array.isArray(references)) return [];
  const out: ReferenceLink[] = [];
  for (const r of references) {
    if (!r || typeof r !== "object") continue;
    const { type, url } = r as Record<string, unknown>;
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) continue;
    try {
      new URL(url);
    } catch {
      continue;
    }
    out.push({ type: typeof type === "string" ? type : "WEB", url });
  }
  return out;
}

export interface AffectedPackageView {
  ecosystem: string;
  name: string;
  ranges: RangeView[];
  versions: string[];
  fixedVersions: string[];
}

/** The `fixed` events of OSV ranges, in order. */
function fixedOf(ranges: unknown): string[] {
  if (!Array.isArray(ranges)) return [];
  return ranges.flatMap((r) => (r && typeof r === "object" ? readEvents((r as Record<string, unknown>).events) : [])).flatMap((e) => ("fixed" in e ? [e.fixed] : []));
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/**
 * The advisory's raw `affected` JSON, for records stored without AdvisoryPackage rows: OSV entries
 * ({package: {ecosystem, name}, ranges, versions}) and the flat {ecosystem, package, fixed} shape.
 */
export function affectedFromJson(affected: unknown): AffectedPackageView[] {
  if (!Array.isArray(affected)) return [];
  return affected.flatMap((a): AffectedPackageView[] => {
    if (!a || typeof a !== "object") return [];
    const o = a as Record<string, unknown>;
    if (o.package && typeof o.package === "object") {
      const p = o.package as Record<string, unknown>;
      if (typeof p.name !== "string") return [];
      const ranges = describeRanges(o.ranges);
      const fixed = fixedOf(o.ranges);
      return [{ ecosystem: typeof p.ecosystem === "string" ? p.ecosystem : "", name: p.name, ranges, versions: strings(o.versions), fixedVersions: fixed }];
    }
    if (typeof o.package !== "string") return [];
    const fixed = typeof o.fixed === "string" && o.fixed !== "" ? o.fixed : null;
    return [
      {
        ecosystem: typeof o.ecosystem === "string" ? o.ecosystem : "",
        name: o.package,
        ranges: [{ type: "ECOSYSTEM", repo: null, intervals: [fixed ? `every version < ${fixed}` : "every version (no fix)"] }],
        versions: [],
        fixedVersions: fixed ? [fixed] : [],
      },
    ];
  });
}
