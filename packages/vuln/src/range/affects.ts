// Is a package version affected by one OSV `affected[]` entry? Implements the evaluation in the OSV
// schema (https://ossf.github.io/osv-schema/#evaluation): exact `versions` membership, then each
// SEMVER/ECOSYSTEM range with its events sorted by version ("introduced: 0" first), where
// `introduced` opens an interval, `fixed` closes it exclusively, `last_affected` inclusively and
// `limit` bounds the whole range from above.
import type { AffectedPackage, AffectedRange, AffectsResult, RangeEvent, VersionScheme } from "../types.ts";
import {
  compareWith,
  isValidVersion,
  parseVersion,
  requireVersionScheme,
  versionSchemeImpl,
} from "../versions/compare.ts";
import { versionSchemeOf } from "../versions/ecosystems.ts";

type EventKind = "introduced" | "last_affected" | "fixed" | "limit";

interface FlatEvent {
  kind: EventKind;
  version: string;
  /** Parsed in the range's scheme; null only for `introduced: "0"`. */
  parsed: unknown;
}

// For equal versions: an interval opens before it closes, so {introduced: X, fixed: X} is empty.
const KIND_RANK: Record<EventKind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

function kindAndVersion(e: RangeEvent): [EventKind, string] {
  if ("introduced" in e) return ["introduced", e.introduced];
  if ("fixed" in e) return ["fixed", e.fixed];
  if ("last_affected" in e) return ["last_affected", e.last_affected];
  return ["limit", e.limit];
}

interface SortedRange {
  scheme: VersionScheme;
  events: FlatEvent[];
  /** Parsed limits; null stands for "*" (infinity). */
  limits: unknown[];
}

// Advisories are matched against many packages: parse and sort each range's events once, so
// evaluating a version is a handful of comparisons of parsed forms. A range is only ever evaluated
// in one scheme (its type decides), so one entry per range suffices.
const sortedCache = new WeakMap<AffectedRange, SortedRange>();

function sortRange(range: AffectedRange, scheme: VersionScheme, ecosystem: string): SortedRange {
  const hit = sortedCache.get(range);
  if (hit !== undefined && hit.scheme === scheme) return hit;
  const impl = versionSchemeImpl(scheme);
  const events: FlatEvent[] = [];
  const limits: unknown[] = [];
  for (const raw of range.events) {
    const [kind, version] = kindAndVersion(raw);
    if (kind === "limit") limits.push(version === "*" ? null : parseVersion(scheme, version, ecosystem));
    else if (kind === "introduced" && version === "0") events.push({ kind, version, parsed: null });
    else events.push({ kind, version, parsed: parseVersion(scheme, version, ecosystem) });
  }
  events.sort((x, y) => {
    if (x.parsed === null || y.parsed === null) return x.parsed === y.parsed ? 0 : x.parsed === null ? -1 : 1;
    return impl.compare(x.parsed, y.parsed) || KIND_RANK[x.kind] - KIND_RANK[y.kind];
  });
  const sorted = { scheme, events, limits };
  sortedCache.set(range, sorted);
  return sorted;
}

export interface RangeResult {
  affected: boolean;
  /** The `fixed` event closing the interval that contains the version; null if it has none. */
  fixedVersion: string | null;
}

/**
 * Evaluates one range. `scheme` is the comparison scheme (semver for SEMVER ranges, the ecosystem's
 * for ECOSYSTEM ranges); `ecosystem` labels VersionErrors. Throws VersionError when the version or an
 * event version does not parse.
 */
export function evaluateRange(
  range: AffectedRange,
  scheme: VersionScheme,
  version: string,
  ecosystem: string = scheme,
): RangeResult {
  const impl = versionSchemeImpl(scheme);
  const v = parseVersion(scheme, version, ecosystem);
  const { events, limits } = sortRange(range, scheme, ecosystem);

  if (limits.length > 0 && !limits.some((l) => l === null || impl.compare(v, l) < 0)) {
    return { affected: false, fixedVersion: null };
  }

  let vulnerable = false;
  let opened = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as FlatEvent;
    if (e.kind === "introduced") {
      if (e.parsed === null || impl.compare(v, e.parsed) >= 0) {
        vulnerable = true;
        opened = i;
      }
    } else if (e.kind === "fixed") {
      if (impl.compare(v, e.parsed) >= 0) vulnerable = false;
    } else if (impl.compare(v, e.parsed) > 0) {
      vulnerable = false; // last_affected
    }
  }
  if (!vulnerable) return { affected: false, fixedVersion: null };

  // Every closing event after the last applicable `introduced` lies above the version (or it would
  // have closed the interval), so the first one in sorted order closes this interval.
  for (let i = opened + 1; i < events.length; i++) {
    const e = events[i] as FlatEvent;
    if (e.kind === "fixed") return { affected: true, fixedVersion: e.version };
    if (e.kind === "last_affected") return { affected: true, fixedVersion: null };
  }
  return { affected: true, fixedVersion: null };
}

function schemeOfRange(range: AffectedRange, ecosystem: string): VersionScheme {
  return range.type === "SEMVER" ? "semver" : requireVersionScheme(ecosystem);
}

/** The lowest of `candidates` above `version`, ignoring candidates that do not parse. */
function lowestAbove(candidates: readonly string[], version: string, scheme: VersionScheme, ecosystem: string): string | null {
  const cmp = compareWith(scheme, ecosystem);
  let best: string | null = null;
  for (const c of candidates) {
    if (!isValidVersion(scheme, c) || cmp(c, version) <= 0) continue;
    if (best === null || cmp(c, best) < 0) best = c;
  }
  return best;
}

/**
 * Evaluates `version` (as installed, in `pkg.ecosystem`'s scheme) against one affected entry.
 * Throws VersionError: "unparsable" for a version or event that is not a version of the scheme,
 * "unknown-ecosystem" for ECOSYSTEM ranges of an ecosystem without a known scheme.
 */
export function affects(pkg: AffectedPackage, version: string): AffectsResult {
  const ecoScheme = versionSchemeOf(pkg.ecosystem);

  let best: { fixed: string; scheme: VersionScheme } | null = null;
  let rangeHit = false;
  for (const range of pkg.ranges) {
    const scheme = schemeOfRange(range, pkg.ecosystem);
    const r = evaluateRange(range, scheme, version, pkg.ecosystem);
    if (!r.affected) continue;
    rangeHit = true;
    if (r.fixedVersion === null) continue;
    if (best === null) best = { fixed: r.fixedVersion, scheme };
    else if (best.scheme === scheme && compareWith(scheme, pkg.ecosystem)(r.fixedVersion, best.fixed) < 0) {
      best = { fixed: r.fixedVersion, scheme };
    }
  }
  if (rangeHit) return { affected: true, fixedVersion: best?.fixed ?? null };

  if (!listed(pkg, version, ecoScheme)) return { affected: false, fixedVersion: null };
  const fixedVersion =
    ecoScheme === null ? null : lowestAbove(pkg.fixedVersions, version, ecoScheme, pkg.ecosystem);
  return { affected: true, fixedVersion };
}

/**
 * `versions` membership: exact string equality (the OSV rule), and, when the ecosystem has a scheme,
 * equality under it ("1.0" == "1.0.0" in PyPI). Listed strings that do not parse are only matched
 * exactly.
 */
function listed(pkg: AffectedPackage, version: string, scheme: VersionScheme | null): boolean {
  if (pkg.versions.includes(version)) return true;
  if (scheme === null || pkg.versions.length === 0) return false;
  const cmp = compareWith(scheme, pkg.ecosystem);
  parseVersion(scheme, version, pkg.ecosystem);
  return pkg.versions.some((v) => isValidVersion(scheme, v) && cmp(v, version) === 0);
}
