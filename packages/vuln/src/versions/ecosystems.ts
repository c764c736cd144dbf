// OSV ecosystem names → version scheme. OSV ecosystems may carry a release after ':' ("Debian:12",
// "Alpine:v3.18", "Ubuntu:Pro:22.04:LTS", "Red Hat:enterprise_linux:9::appstream"); the scheme
// depends on the base name only.
import type { VersionScheme } from "../types.ts";

// Keys are lower-cased so "debian" from a scanner and "Debian" from OSV agree.
const SCHEMES: ReadonlyMap<string, VersionScheme> = new Map<string, VersionScheme>([
  ["debian", "dpkg"],
  ["ubuntu", "dpkg"],
  ["alpine", "apk"],
  // Wolfi and Chainguard publish apk packages with Alpine's version grammar.
  ["wolfi", "apk"],
  ["chainguard", "apk"],
  ["red hat", "rpm"],
  ["rocky linux", "rpm"],
  ["almalinux", "rpm"],
  ["opensuse", "rpm"],
  ["suse", "rpm"],
  ["mageia", "rpm"],
  ["photon os", "rpm"],
  ["azure linux", "rpm"],
  ["cbl-mariner", "rpm"],
  ["openeuler", "rpm"],
  ["npm", "semver"],
  ["crates.io", "semver"],
  ["hex", "semver"],
  ["pub", "semver"],
  // Composer versions are mostly SemVer; the ones that are not (four parts, "dev-main") are
  // reported as unparsable rather than ordered by guesswork.
  ["packagist", "semver"],
  ["swifturl", "semver"],
  ["bitnami", "semver"],
  ["pypi", "pep440"],
  ["go", "go"],
  ["maven", "maven"],
  ["rubygems", "rubygems"],
  ["nuget", "nuget"],
]);

/** The part of an OSV ecosystem before the first ':' ("Debian:12" → "Debian"). */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(":");
  return (colon >= 0 ? ecosystem.slice(0, colon) : ecosystem).trim();
}

// Matching asks once per (package, advisory) pair; the distinct ecosystem strings are few.
const memo = new Map<string, VersionScheme | null>();
const MEMO_LIMIT = 1_000;

export function versionSchemeOf(ecosystem: string): VersionScheme | null {
  const hit = memo.get(ecosystem);
  if (hit !== undefined) return hit;
  const scheme = SCHEMES.get(ecosystemBase(ecosystem).toLowerCase()) ?? null;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(ecosystem, scheme);
  return scheme;
}
