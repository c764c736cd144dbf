import { type AffectedPackage, type AffectedRange, affects, ecosystemMatches, VersionError } from "@bulwark/vuln";
import { type SqlTx } from "@bulwark/db";
import { fingerprint } from "../ingest/fingerprint.ts";
import { type JsonObject } from "../ingest/normalized.ts";
import { type FindingRow } from "../ingest/store-findings.ts";
import { isSeverity, type Severity } from "../ingest/severity.ts";

// One affected package of an advisory, loaded once per run with what a finding needs from its advisory.
// Matching evaluates millions of (image package, rule) pairs, so rules are fetched by id in batches and
// kept for the run instead of travelling with every candidate row.

export const BULWARK_VULN_SOURCE = "bulwark";

export interface MatchRule {
  id: string;
  advisoryId: string;
  externalId: string;
  aliases: string[];
  summary: string | null;
  details: string | null;
  severity: Severity | null;
  cvssScore: number | null;
  cvssVector: string | null;
  knownExploited: boolean;
  publicExploit: boolean;
  withdrawn: boolean;
  pkg: AffectedPackage;
}

interface RuleRow {
  id: string;
  advisoryId: string;
  ecosystem: string;
  name: string;
  purl: string | null;
  ranges: unknown;
  versions: string[] | null;
  fixedVersions: string[] | null;
  skippedGitRanges: number;
  externalId: string;
  aliases: string[] | null;
  summary: string | null;
  details: string | null;
  severity: string | null;
  cvssScore: number | null;
  cvssVector: string | null;
  knownExploited: boolean;
  publicExploit: boolean;
  withdrawnAt: Date | null;
}

/** Ranges as stored (written by storeAdvisories from the normalized record); anything else is dropped. */
function storedRanges(value: unknown): AffectedRange[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is AffectedRange =>
      typeof r === "object" && r !== null && ((r as AffectedRange).type === "SEMVER" || (r as AffectedRange).type === "ECOSYSTEM") && Array.isArray((r as AffectedRange).events),
  );
}

/** Loads the rules of `ids` not yet in `cache`. */
export async function loadRules(sql: SqlTx, ids: Iterable<string>, cache: Map<string, MatchRule>): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !cache.has(id));
  for (let i = 0; i < missing.length; i += 5_000) {
    const rows = await sql.$queryRaw<RuleRow[]>`
      SELECT ap.id, ap."advisoryId", ap.ecosystem, ap.name, ap.purl, ap.ranges, ap.versions, ap."fixedVersions", ap."skippedGitRanges",
             a."externalId", a.aliases, a.summary, a.details, a.severity::text AS severity, a."cvssScore", a."cvssVector",
             a."knownExploited", a."publicExploit", a."withdrawnAt"
      FROM "AdvisoryPackage" ap JOIN "Advisory" a ON a.id = ap."advisoryId"
      WHERE ap.id = ANY(${missing.slice(i, i + 5_000)}::text[])`;
    for (const r of rows) {
      cache.set(r.id, {
        id: r.id,
        advisoryId: r.advisoryId,
        externalId: r.externalId,
        aliases: r.aliases ?? [],
        summary: r.summary,
        details: r.details,
        severity: isSeverity(r.severity) ? r.severity : null,
        cvssScore: r.cvssScore,
        cvssVector: r.cvssVector,
        knownExploited: r.knownExploited,
        publicExploit: r.publicExploit,
        withdrawn: r.withdrawnAt !== null,
        pkg: {
          ecosystem: r.ecosystem,
          name: r.name,
          purl: r.purl,
          ranges: storedRanges(r.ranges),
          versions: r.versions ?? [],
          fixedVersions: r.fixedVersions ?? [],
          skippedGitRanges: r.skippedGitRanges,
        },
      });
    }
  }
}

export interface InstalledPackage {
  imageId: string;
  digest: string;
  ecosystem: string;
  name: string;
  version: string;
  purl: string | null;
  /** The distro source package, when the binary has one (advisories name sources). */
  srcName?: string | null;
  srcVersion?: string | null;
}

export type Evaluation = { kind: "match"; fixedVersion: string | null } | { kind: "no-match" } | { kind: "unparsable"; reason: string };

/** Does `rule` affect the installed package? Version errors are answered, not thrown: one bad version must not stop a run. */
export function evaluate(rule: MatchRule, pkg: InstalledPackage): Evaluation {
  if (rule.withdrawn || !ecosystemMatches(rule.pkg.ecosystem, pkg.ecosystem)) return { kind: "no-match" };
  try {
    const result = affects(rule.pkg, pkg.version);
    return result.affected ? { kind: "match", fixedVersion: result.fixedVersion } : { kind: "no-match" };
  } catch (err) {
    if (err instanceof VersionError) return { kind: "unparsable", reason: err.reason };
    throw err;
  }
}

export function matchFingerprint(rule: MatchRule, pkg: InstalledPackage): string {
  return fingerprint("VULNERABILITY", BULWARK_VULN_SOURCE, rule.externalId, pkg.digest, pkg.ecosystem, pkg.name, pkg.version);
}

const MAX_DESCRIPTION = 4_000;

/** The finding a match opens: an image finding, like a scanner's, attributed to Bulwark's own matching. */
export function matchFinding(rule: MatchRule, pkg: InstalledPackage, fixedVersion: string | null, now: Date): FindingRow {
  const evidence: JsonObject = {
    advisory: rule.externalId,
    aliases: rule.aliases,
    advisoryEcosystem: rule.pkg.ecosystem,
    ecosystem: pkg.ecosystem,
    purl: pkg.purl,
    installedVersion: pkg.version,
    sourcePackage: pkg.srcName ?? null,
    sourceVersion: pkg.srcName ? (pkg.srcVersion ?? pkg.version) : null,
    fixedVersions: rule.pkg.fixedVersions,
    cvssVector: rule.cvssVector,
    knownExploited: rule.knownExploited,
    publicExploit: rule.publicExploit,
  };
  return {
    imageId: pkg.imageId,
    firstSeen: now,
    lastSeen: now,
    finding: {
      fingerprint: matchFingerprint(rule, pkg),
      type: "VULNERABILITY",
      // No severity in the record (many distro advisories) is INFO, as for a scanner's UNKNOWN: listed, never dropped.
      severity: rule.severity ?? "INFO",
      title: rule.summary?.trim() ? rule.summary.trim().slice(0, 300) : `${rule.externalId} in ${pkg.name}`,
      description: rule.details ? rule.details.slice(0, MAX_DESCRIPTION) : null,
      ruleId: rule.externalId,
      source: BULWARK_VULN_SOURCE,
      packageName: pkg.name,
      packageVersion: pkg.version,
      fixedVersion,
      fixable: fixedVersion !== null,
      cvssScore: rule.cvssScore,
      mitreTechniques: [],
      evidence,
      remediation: fixedVersion ? `Upgrade ${pkg.name} to ${fixedVersion} or later.` : null,
    },
  };
}
