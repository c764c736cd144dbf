// RubyGems versions, ordered like Gem::Version#<=> (rubygems lib/rubygems/version.rb, including the
// hyphen normalisation where "1.0.0-beta.1" equals "1.0.0.beta.1" and "1.0.0-1" is "1.0.0.pre.1").
// Written here rather than using @renovatebot/ruby-semver: that port compares string segments with
// localeCompare (locale-dependent, not Ruby's byte order) and re-splits segments on every compare.
import { type Ordering, type VersionSchemeImpl, compareDigits, compareStrings } from "./scheme.ts";

/** A canonical segment: digits (no leading zeros) or a letter run. */
type Segment = { num: string; str: null } | { num: null; str: string };

export interface RubyGemsVersion {
  /** The normalised version string (Gem::Version#version). */
  version: string;
  canonical: readonly Segment[];
}

// Gem::Version::ANCHORED_VERSION_PATTERN with Ruby's \s. Each repeated group starts with a fixed
// separator, so this cannot backtrack catastrophically (CVE-2013-4287 was the unanchored variant).
const ANCHORED = /^[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[ \t\r\n\f\v]*$/;
const HAS_LETTER = /[a-zA-Z]/;

function normalizeHyphens(s: string): string {
  if (!s.includes("-")) return s;
  const parts = s.split("-");
  // Ruby's String#split drops trailing empty fields.
  while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts
    .map((part, index) => {
      if (index === 0) return part;
      const first = /^[^.]+/.exec(part)?.[0];
      return first !== undefined && HAS_LETTER.test(first) ? part : `pre.${part}`;
    })
    .join(".");
}

function partitionSegments(v: string): Segment[] {
  const out: Segment[] = [];
  for (const m of v.matchAll(/[0-9]+|[a-z]+/gi)) {
    const s = m[0];
    const c = s.charCodeAt(0);
    out.push(c >= 48 && c <= 57 ? { num: s.replace(/^0+(?=.)/, ""), str: null } : { num: null, str: s });
  }
  return out;
}

// The legacy "pre" inserted before a letter label is redundant: "1.0.0.pre.beta.1" == "1.0.0.beta.1".
function skipRedundantPre(segments: Segment[]): Segment[] {
  return segments.filter((seg, i) => !(seg.str === "pre" && typeof segments[i + 1]?.str === "string"));
}

function canonicalSegments(version: string): Segment[] {
  // Drop trailing zero segments (anchored at a dot or letter), then, for pre-releases, the zero
  // segments in front of the first letter.
  let canonical = version.replace(/(?<=[a-zA-Z.])[.0]+$/, "");
  if (HAS_LETTER.test(version)) canonical = canonical.replace(/(?<=\.|^)[0.]+(?=[a-zA-Z])/, "");
  return skipRedundantPre(partitionSegments(canonical));
}

/** Exposed for tests: Gem::Version#canonical_segments as numbers and strings. */
export function rubyCanonicalSegments(v: RubyGemsVersion): (string | number)[] {
  return v.canonical.map((s) => (s.num !== null ? Number(s.num) : s.str));
}

/**
 * Gem::Version.new. RubyGems treats "" (and whitespace only) as "0"; here an empty string is not a
 * version, because an empty installed version is a scanner defect rather than version zero.
 */
export function parseRubyGemsVersion(raw: string): RubyGemsVersion | null {
  const m = ANCHORED.exec(raw);
  if (m === null || m[1] === undefined) return null;
  const version = normalizeHyphens(m[1]);
  return { version, canonical: canonicalSegments(version) };
}

function isZero(seg: Segment): boolean {
  return seg.num === "0";
}

export function compareRubyGemsVersions(a: RubyGemsVersion, b: RubyGemsVersion): Ordering {
  if (a.version === b.version) return 0;
  const lhs = a.canonical;
  const rhs = b.canonical;
  const limit = Math.min(lhs.length, rhs.length);
  for (let i = 0; i < limit; i++) {
    const l = lhs[i] as Segment;
    const r = rhs[i] as Segment;
    if (l.num !== null && r.num !== null) {
      const c = compareDigits(l.num, r.num);
      if (c !== 0) return c;
    } else if (l.str !== null && r.str !== null) {
      // Ruby String#<=> is byte order.
      const c = compareStrings(l.str, r.str);
      if (c !== 0) return c;
    } else {
      return l.str !== null ? -1 : 1; // a letter segment sorts below a number
    }
  }
  // The longer one wins unless its extra segments are zeros, or a letter (a pre-release) follows.
  if (lhs.length < rhs.length) {
    for (let i = limit; i < rhs.length; i++) {
      const r = rhs[i] as Segment;
      if (r.str !== null) return 1;
      if (!isZero(r)) return -1;
    }
  } else {
    for (let i = limit; i < lhs.length; i++) {
      const l = lhs[i] as Segment;
      if (l.str !== null) return -1;
      if (!isZero(l)) return 1;
    }
  }
  return 0;
}

export const rubygemsScheme: VersionSchemeImpl<RubyGemsVersion> = {
  name: "rubygems",
  parse: parseRubyGemsVersion,
  compare: compareRubyGemsVersions,
};
