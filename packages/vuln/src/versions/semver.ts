// SemVer 2.0 versions (npm, crates.io, Hex, Pub, … and every OSV range of type SEMVER), compared
// with the `semver` package npm itself uses. Strict parsing first; loose parsing only as a fallback
// for the spellings real registries carry ("=1.2.3", "1.2.3beta", leading zeros).
import { SemVer } from "semver";
import type { Ordering, VersionSchemeImpl } from "./scheme.ts";

export function parseSemver(s: string): SemVer | null {
  try {
    return new SemVer(s);
  } catch {
    try {
      const loose = new SemVer(s, { loose: true });
      // Loose identifiers may be made of hyphens only ("1.2.3-" parses as pre-release "-").
      return loose.prerelease.every((id) => /[0-9A-Za-z]/.test(String(id))) ? loose : null;
    } catch {
      return null;
    }
  }
}

/** Precedence per semver.org §11: build metadata is ignored. */
export function compareSemver(a: SemVer, b: SemVer): Ordering {
  return a.compare(b);
}

export const semverScheme: VersionSchemeImpl<SemVer> = {
  name: "semver",
  parse: parseSemver,
  compare: compareSemver,
};
