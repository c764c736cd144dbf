// The contract of @bulwark/vuln: pure advisory logic (OSV records, version semantics per ecosystem,
// affected-range evaluation). Plain data in, results out: no I/O, no clock, no environment.

/** Version comparison schemes; an OSV ecosystem maps to one (or none: unknown ecosystem). */
export type VersionScheme = "dpkg" | "apk" | "rpm" | "semver" | "pep440" | "go" | "maven" | "rubygems" | "nuget";

export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFO";

/** One OSV range event, normalized: exactly one key is set. */
export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

/** An OSV range we can evaluate (GIT ranges are dropped at normalization and counted in skippedGitRanges). */
export interface AffectedRange {
  type: "SEMVER" | "ECOSYSTEM";
  events: RangeEvent[];
}

/** One OSV `affected[]` entry, normalized. */
export interface AffectedPackage {
  /** As the advisory spells it, e.g. "Debian:12", "Alpine:v3.18", "npm", "PyPI". */
  ecosystem: string;
  name: string;
  purl: string | null;
  ranges: AffectedRange[];
  /** Explicitly enumerated affected versions (OSV `versions`). */
  versions: string[];
  /** Every `fixed` event of every range, in the advisory's order (deduplicated). */
  fixedVersions: string[];
  /** GIT ranges cannot be evaluated against package versions; counted so the UI can say so. */
  skippedGitRanges: number;
}

export interface AdvisoryReference {
  type: string;
  url: string;
}

/** An OSV record normalized for storage and matching. */
export interface NormalizedAdvisory {
  externalId: string;
  aliases: string[];
  /** Ids of related records (OSV `related`), kept for display. */
  related: string[];
  summary: string | null;
  details: string | null;
  severity: Severity | null;
  cvssScore: number | null;
  /** The vector the score came from (highest CVSS version present), or null. */
  cvssVector: string | null;
  publishedAt: string | null;
  modifiedAt: string;
  withdrawnAt: string | null;
  references: AdvisoryReference[];
  packages: AffectedPackage[];
  /** Listed as exploited in the wild (e.g. CISA KEV) where the record says so. */
  knownExploited: boolean;
  /** A public exploit is referenced (OSV reference type EVIDENCE, exploit databases). */
  publicExploit: boolean;
}

/** Per-record problem: where (JSON path) and what. */
export interface RecordIssue {
  path: (string | number)[];
  message: string;
}

export type ParseOsvResult =
  | { ok: true; advisory: NormalizedAdvisory; warnings: RecordIssue[] }
  | { ok: false; id: string | null; issues: RecordIssue[] };

/** Result of evaluating one package version against one AffectedPackage. */
export interface AffectsResult {
  affected: boolean;
  /** The lowest fixed version above `version` in the range that matched, if any. */
  fixedVersion: string | null;
}
