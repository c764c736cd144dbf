// Go module versions: semantic versions with a leading "v" (golang.org/x/mod/semver), including
// pseudo-versions (v0.0.0-20191109021931-daa7c04131f5, vX.Y.(Z+1)-0.yyyymmddhhmmss-hash) and
// "+incompatible" (build metadata, so ignored for ordering). OSV writes Go versions without the "v";
// both spellings are accepted. Written from x/mod/semver rather than reusing `semver` because Go
// allows the "v1"/"v1.2" shorthands and numeric components beyond 2^53.
import { type Ordering, type VersionSchemeImpl, compareDigits, compareStrings } from "./scheme.ts";

export interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** Dot-separated pre-release identifiers without the leading "-"; empty for a release. */
  prerelease: readonly string[];
}

const NUM = "(0|[1-9][0-9]*)";
const IDENT = "[0-9A-Za-z-]+";
const FULL = new RegExp(`^v${NUM}\\.${NUM}\\.${NUM}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?$`);
// x/mod/semver accepts "vMAJOR" and "vMAJOR.MINOR" only without pre-release or build suffixes.
const SHORT = new RegExp(`^v${NUM}(?:\\.${NUM})?$`);
const NUMERIC = /^[0-9]+$/;

export function parseGoVersion(raw: string): GoVersion | null {
  const v = raw.startsWith("v") ? raw : `v${raw}`;
  const full = FULL.exec(v);
  if (full) {
    const prerelease = full[4] === undefined ? [] : full[4].split(".");
    // Numeric pre-release identifiers must not have leading zeros (semver.org §9).
    if (prerelease.some((id) => NUMERIC.test(id) && id.length > 1 && id.startsWith("0"))) return null;
    return { major: full[1] as string, minor: full[2] as string, patch: full[3] as string, prerelease };
  }
  const short = SHORT.exec(v);
  if (short) return { major: short[1] as string, minor: short[2] ?? "0", patch: "0", prerelease: [] };
  return null;
}

function compareIdentifiers(a: string, b: string): Ordering {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a, b);
}

export function compareGoVersions(a: GoVersion, b: GoVersion): Ordering {
  const main = compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (main !== 0) return main;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    if (a.prerelease.length === b.prerelease.length) return 0;
    return a.prerelease.length === 0 ? 1 : -1;
  }
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const r = compareIdentifiers(a.prerelease[i] as string, b.prerelease[i] as string);
    if (r !== 0) return r;
  }
  return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length < b.prerelease.length ? -1 : 1;
}

export const goScheme: VersionSchemeImpl<GoVersion> = {
  name: "go",
  parse: parseGoVersion,
  compare: compareGoVersions,
};
