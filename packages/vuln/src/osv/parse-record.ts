import type {
  AdvisoryReference,
  AffectedPackage,
  AffectedRange,
  NormalizedAdvisory,
  ParseOsvResult,
  RangeEvent,
} from "../types.ts";
import { hasPublicExploit, isKnownExploited } from "./exploit.ts";
import { IssueList, issuesFromZod } from "./issues.ts";
import { packageFromPurl } from "./purl.ts";
import { OSV_LIMITS, osvRecordSchema } from "./schema.ts";
import type { OsvAffected, OsvRange, OsvRecord } from "./schema.ts";
import { pickSeverity } from "./severity.ts";

// One OSV record (already JSON-parsed) → NormalizedAdvisory. Structural problems make the whole record
// invalid (issues with JSON paths, no partial advisory); problems that only cost information (a GIT or
// unknown range, an unidentifiable package, an unusable vector, a non-web link) are warnings.

/** The record's id for error reports, when it is a string we can show. */
function readableId(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const id: unknown = Object.hasOwn(value, "id") ? (value as { id: unknown }).id : undefined;
  return typeof id === "string" && id.trim() !== "" && id.length <= OSV_LIMITS.idLength ? id : null;
}

/** Timestamps are stored in one canonical form (UTC, milliseconds) so they compare as strings. */
function canonicalTimestamp(value: string): string {
  return new Date(value).toISOString();
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function normalizeEvent(e: OsvRange["events"][number]): RangeEvent {
  // The schema guarantees exactly one key is set.
  if (e.introduced !== undefined) return { introduced: e.introduced };
  if (e.fixed !== undefined) return { fixed: e.fixed };
  if (e.last_affected !== undefined) return { last_affected: e.last_affected };
  return { limit: e.limit ?? "" };
}

function normalizeAffected(a: OsvAffected, index: number, warnings: IssueList): AffectedPackage | null {
  const path = ["affected", index];
  let ecosystem = a.package?.ecosystem ?? "";
  let name = a.package?.name ?? "";
  const purl = a.package?.purl?.trim() || null;
  if ((ecosystem.trim() === "" || name.trim() === "") && purl !== null) {
    const derived = packageFromPurl(purl);
    if (derived === null) {
      warnings.add([...path, "package", "purl"], "purl does not parse or names no known ecosystem");
    } else {
      if (ecosystem.trim() === "") ecosystem = derived.ecosystem;
      if (name.trim() === "") name = derived.name;
    }
  }
  if (ecosystem.trim() === "" || name.trim() === "") {
    warnings.add([...path, "package"], "no usable package (needs ecosystem and name, or a purl); entry skipped");
    return null;
  }

  const ranges: AffectedRange[] = [];
  const fixed: string[] = [];
  let skippedGitRanges = 0;
  (a.ranges ?? []).forEach((r, j) => {
    if (r.type === "GIT") {
      skippedGitRanges++;
      return;
    }
    if (r.type !== "SEMVER" && r.type !== "ECOSYSTEM") {
      warnings.add([...path, "ranges", j, "type"], `unknown range type "${r.type}"; range dropped`);
      return;
    }
    const events = r.events.map(normalizeEvent);
    for (const e of events) if ("fixed" in e) fixed.push(e.fixed);
    ranges.push({ type: r.type, events });
  });

  return {
    ecosystem,
    name,
    purl,
    ranges,
    versions: dedupe(a.versions ?? []),
    fixedVersions: dedupe(fixed),
    skippedGitRanges,
  };
}

/** Only web links survive: references are rendered as links, and javascript:/data: URLs must never be. */
function normalizeReferences(record: OsvRecord, warnings: IssueList): AdvisoryReference[] {
  const out: AdvisoryReference[] = [];
  const seen = new Set<string>();
  (record.references ?? []).forEach((ref, i) => {
    let url: URL;
    try {
      url = new URL(ref.url.trim());
    } catch {
      warnings.add(["references", i, "url"], "not a valid URL; reference dropped");
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      warnings.add(["references", i, "url"], "not an http(s) URL; reference dropped");
      return;
    }
    const key = `${ref.type}\n${ref.url.trim()}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ type: ref.type, url: ref.url.trim() });
  });
  return out;
}

function truncatedDetails(details: string | null | undefined, warnings: IssueList): string | null {
  if (details === null || details === undefined) return null;
  if (details.length <= OSV_LIMITS.detailsLength) return details;
  warnings.add(["details"], `longer than ${OSV_LIMITS.detailsLength} characters; stored truncated`);
  return details.slice(0, OSV_LIMITS.detailsLength);
}

function normalize(record: OsvRecord, warnings: IssueList): NormalizedAdvisory {
  const references = normalizeReferences(record, warnings);
  const packages: AffectedPackage[] = [];
  (record.affected ?? []).forEach((a, i) => {
    const pkg = normalizeAffected(a, i, warnings);
    if (pkg) packages.push(pkg);
  });
  const { severity, cvssScore, cvssVector } = pickSeverity(record, (path, message) => warnings.add(path, message));
  const databaseSpecifics = [record.database_specific, ...(record.affected ?? []).map((a) => a.database_specific)];
  return {
    externalId: record.id,
    aliases: dedupe(record.aliases ?? []),
    related: dedupe(record.related ?? []),
    summary: record.summary ?? null,
    details: truncatedDetails(record.details, warnings),
    severity,
    cvssScore,
    cvssVector,
    publishedAt: record.published ? canonicalTimestamp(record.published) : null,
    modifiedAt: canonicalTimestamp(record.modified),
    withdrawnAt: record.withdrawn ? canonicalTimestamp(record.withdrawn) : null,
    references,
    packages,
    knownExploited: isKnownExploited(databaseSpecifics, references),
    publicExploit: hasPublicExploit(references),
  };
}

/**
 * Validates and normalizes one OSV record. Never throws: invalid input gives `ok: false` with JSON-path
 * issues (and the id when readable), never a partial advisory.
 */
export function parseOsvRecord(value: unknown): ParseOsvResult {
  try {
    const parsed = osvRecordSchema.safeParse(value);
    if (!parsed.success) return { ok: false, id: readableId(value), issues: issuesFromZod(parsed.error) };
    const warnings = new IssueList();
    const advisory = normalize(parsed.data, warnings);
    return { ok: true, advisory, warnings: warnings.toArray() };
  } catch {
    // Defensive: a bug here must cost one record, not the whole feed import.
    return { ok: false, id: readableId(value), issues: [{ path: [], message: "record could not be normalized" }] };
  }
}
