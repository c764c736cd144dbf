// NuGet versions (NuGet.Versioning NuGetVersion + VersionComparer.Default): one to four numeric
// parts (legacy System.Version style, leading zeros allowed), SemVer 2.0 release labels compared
// case-insensitively, metadata ignored.
import { type Ordering, type VersionSchemeImpl, compareDigits, compareStrings } from "./scheme.ts";

export interface NuGetVersion {
  /** Major, minor, patch, revision; missing parts are "0". Digits without leading zeros. */
  parts: readonly [string, string, string, string];
  /** Release labels; empty for a stable version. */
  labels: readonly string[];
}

const EDGE_SPACE = /^\s+|\s+$/g;
const NUMBERS = /^[0-9]+(?:\.[0-9]+){0,3}$/;
const IDENTIFIERS = /^[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*$/;
const INT32_MAX = "2147483647";

function stripZeros(d: string): string {
  return d.replace(/^0+(?=.)/, "");
}

export function parseNuGetVersion(raw: string): NuGetVersion | null {
  const s = raw.replace(EDGE_SPACE, "");
  const plus = s.indexOf("+");
  const main = plus >= 0 ? s.slice(0, plus) : s;
  if (plus >= 0 && !IDENTIFIERS.test(s.slice(plus + 1))) return null;
  const dash = main.indexOf("-");
  const numbers = dash >= 0 ? main.slice(0, dash) : main;
  const release = dash >= 0 ? main.slice(dash + 1) : null;
  if (!NUMBERS.test(numbers)) return null;
  if (release !== null && !IDENTIFIERS.test(release)) return null;
  const nums = numbers.split(".").map(stripZeros);
  // Each part is a System.Version int component.
  if (nums.some((n) => compareDigits(n, INT32_MAX) > 0)) return null;
  while (nums.length < 4) nums.push("0");
  return {
    parts: nums as unknown as NuGetVersion["parts"],
    labels: release === null ? [] : release.split("."),
  };
}

// Int32.TryParse semantics: an optional sign, digits, within int range.
function asInt(label: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(label)) return null;
  const n = Number(label);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

function compareLabel(a: string, b: string): Ordering {
  const x = asInt(a);
  const y = asInt(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== null || y !== null) return x !== null ? -1 : 1;
  // StringComparer.OrdinalIgnoreCase: ordinal comparison of the upper-cased strings.
  return compareStrings(a.toUpperCase(), b.toUpperCase());
}

export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): Ordering {
  for (let i = 0; i < 4; i++) {
    const r = compareDigits(a.parts[i] as string, b.parts[i] as string);
    if (r !== 0) return r;
  }
  if (a.labels.length === 0 || b.labels.length === 0) {
    if (a.labels.length === b.labels.length) return 0;
    return a.labels.length === 0 ? 1 : -1;
  }
  const n = Math.min(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const r = compareLabel(a.labels[i] as string, b.labels[i] as string);
    if (r !== 0) return r;
  }
  return a.labels.length === b.labels.length ? 0 : a.labels.length < b.labels.length ? -1 : 1;
}

export const nugetScheme: VersionSchemeImpl<NuGetVersion> = {
  name: "nuget",
  parse: parseNuGetVersion,
  compare: compareNuGetVersions,
};
