import { createHash } from "node:crypto";
import { type Db, type SqlTx, withSqlTransaction } from "@bulwark/db";
import { canonicalJson } from "@bulwark/policy";
import { type NormalizedAdvisory } from "@bulwark/vuln";
import { newId } from "../ingest/store-findings.ts";

// Advisories are instance-wide (no orgId): one row per OSV id, whichever feed brought it. Imports are
// large (a full OSV ecosystem export is 50,000+ records) and mostly unchanged on re-import, so a batch
// costs a few statements: one locking read, one upsert guarded by the content hash and the record's
// modification time, one delete and one insert of the changed records' packages.

export interface StoreAdvisoriesResult {
  inserted: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  /** Advisory.id of every inserted, updated or withdrawn record: what a delta rescan must look at. */
  changedAdvisoryIds: string[];
}

/** Records per transaction: large enough to amortize round trips, small enough that a lock is brief. */
export const ADVISORY_BATCH_SIZE = 500;

// Postgres text and jsonb reject NUL; a record carrying one would fail its whole batch.
function stripNul<T>(value: T): T {
  if (typeof value === "string") return (value.includes("\0") ? value.replaceAll("\0", "") : value) as T;
  if (Array.isArray(value)) return value.map(stripNul) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripNul(k)] = stripNul(v);
    return out as T;
  }
  return value;
}

/** sha256 of the record's canonical JSON: equal hashes mean storing it again would change nothing. */
export function advisoryContentHash(advisory: NormalizedAdvisory): string {
  return createHash("sha256").update(canonicalJson(advisory)).digest("hex");
}

function time(iso: string | null): number {
  const t = iso === null ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
}

/** Stores advisories in batches, each in its own transaction: a record is never half-stored. */
export async function storeAdvisories(db: Db, advisories: readonly NormalizedAdvisory[], source: string, batchSize = ADVISORY_BATCH_SIZE): Promise<StoreAdvisoriesResult> {
  const total: StoreAdvisoriesResult = { inserted: 0, updated: 0, unchanged: 0, withdrawn: 0, changedAdvisoryIds: [] };
  const size = Math.max(1, Math.trunc(batchSize));
  for (let i = 0; i < advisories.length; i += size) {
    const part = await withSqlTransaction(db, (tx) => storeBatch(tx, advisories.slice(i, i + size), source));
    total.inserted += part.inserted;
    total.updated += part.updated;
    total.unchanged += part.unchanged;
    total.withdrawn += part.withdrawn;
    total.changedAdvisoryIds.push(...part.changedAdvisoryIds);
  }
  return total;
}

interface Candidate {
  advisory: NormalizedAdvisory;
  hash: string;
}

interface StoredState {
  id: string;
  externalId: string;
  contentHash: string;
  modifiedAt: Date;
  withdrawn: boolean;
}

/** One batch on an open transaction. Exported for callers that already hold one. */
export async function storeBatch(tx: SqlTx, advisories: readonly NormalizedAdvisory[], source: string): Promise<StoreAdvisoriesResult> {
  const result: StoreAdvisoriesResult = { inserted: 0, updated: 0, unchanged: 0, withdrawn: 0, changedAdvisoryIds: [] };
  // The same id twice in one batch (a record in a directory and in a zip beside it): the newest wins,
  // the other counts as unchanged, so every input record is counted exactly once.
  const byId = new Map<string, Candidate>();
  for (const raw of advisories) {
    const advisory = stripNul(raw);
    const seen = byId.get(advisory.externalId);
    if (seen && time(seen.advisory.modifiedAt) > time(advisory.modifiedAt)) {
      result.unchanged++;
      continue;
    }
    if (seen) result.unchanged++;
    byId.set(advisory.externalId, { advisory, hash: advisoryContentHash(advisory) });
  }
  if (byId.size === 0) return result;

  // Locked so a concurrent sync of the same records waits instead of interleaving package rows.
  const stored = await tx.$queryRaw<StoredState[]>`
    SELECT id, "externalId", "contentHash", "modifiedAt", ("withdrawnAt" IS NOT NULL) AS withdrawn
    FROM "Advisory" WHERE "externalId" = ANY(${[...byId.keys()]}::text[])
    ORDER BY "externalId" COLLATE "C" FOR UPDATE`;
  const before = new Map(stored.map((s) => [s.externalId, s]));

  const writes: Candidate[] = [];
  for (const c of byId.values()) {
    const prev = before.get(c.advisory.externalId);
    // Feeds replay: an older copy of a record never overwrites a newer one.
    if (prev && (prev.contentHash === c.hash || prev.modifiedAt.getTime() > time(c.advisory.modifiedAt))) result.unchanged++;
    else writes.push(c);
  }
  if (writes.length === 0) return result;
  // Written in the locks' key order (code units, COLLATE "C"): two imports of overlapping records cannot deadlock.
  writes.sort((x, y) => (x.advisory.externalId < y.advisory.externalId ? -1 : x.advisory.externalId > y.advisory.externalId ? 1 : 0));

  const rows = writes.map(({ advisory: a, hash }) => ({
    id: newId(),
    externalId: a.externalId,
    aliases: a.aliases,
    related: a.related,
    source,
    summary: a.summary,
    details: a.details,
    severity: a.severity,
    cvssScore: a.cvssScore,
    cvssVector: a.cvssVector,
    knownExploited: a.knownExploited,
    publicExploit: a.publicExploit,
    contentHash: hash,
    affected: a.packages,
    references: a.references,
    publishedAt: a.publishedAt,
    modifiedAt: a.modifiedAt,
    withdrawnAt: a.withdrawnAt,
  }));
  // The guard repeats the checks above so a row another transaction wrote in between is judged again.
  const written = await tx.$queryRaw<Array<{ id: string; externalId: string }>>`
    INSERT INTO "Advisory" AS a (id, "externalId", aliases, related, source, summary, details, severity, "cvssScore", "cvssVector",
      "knownExploited", "publicExploit", "contentHash", affected, "references", "publishedAt", "modifiedAt", "withdrawnAt", "updatedAt")
    SELECT t.id, t."externalId", t.aliases, t.related, t.source, t.summary, t.details, t.severity::"Severity", t."cvssScore", t."cvssVector",
      t."knownExploited", t."publicExploit", t."contentHash", t.affected, t."references",
      t."publishedAt" AT TIME ZONE 'UTC', t."modifiedAt" AT TIME ZONE 'UTC', t."withdrawnAt" AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t(id text, "externalId" text, aliases text[], related text[], source text,
      summary text, details text, severity text, "cvssScore" double precision, "cvssVector" text, "knownExploited" boolean,
      "publicExploit" boolean, "contentHash" text, affected jsonb, "references" jsonb, "publishedAt" timestamptz,
      "modifiedAt" timestamptz, "withdrawnAt" timestamptz)
    ON CONFLICT ("externalId") DO UPDATE SET
      aliases = EXCLUDED.aliases, related = EXCLUDED.related, source = EXCLUDED.source, summary = EXCLUDED.summary,
      details = EXCLUDED.details, severity = EXCLUDED.severity, "cvssScore" = EXCLUDED."cvssScore", "cvssVector" = EXCLUDED."cvssVector",
      "knownExploited" = EXCLUDED."knownExploited", "publicExploit" = EXCLUDED."publicExploit", "contentHash" = EXCLUDED."contentHash",
      affected = EXCLUDED.affected, "references" = EXCLUDED."references", "publishedAt" = EXCLUDED."publishedAt",
      "modifiedAt" = EXCLUDED."modifiedAt", "withdrawnAt" = EXCLUDED."withdrawnAt", "updatedAt" = EXCLUDED."updatedAt"
    WHERE a."contentHash" <> EXCLUDED."contentHash" AND a."modifiedAt" <= EXCLUDED."modifiedAt"
    RETURNING a.id, a."externalId"`;

  const idOf = new Map(written.map((w) => [w.externalId, w.id]));
  const replaced: string[] = [];
  const packages: Array<Record<string, unknown>> = [];
  for (const c of writes) {
    const id = idOf.get(c.advisory.externalId);
    if (!id) {
      result.unchanged++;
      continue;
    }
    const prev = before.get(c.advisory.externalId);
    if (c.advisory.withdrawnAt !== null && !prev?.withdrawn) result.withdrawn++;
    else if (prev) result.updated++;
    else result.inserted++;
    if (prev) replaced.push(id);
    result.changedAdvisoryIds.push(id);
    // Withdrawn records keep their packages: the matcher skips them by withdrawnAt, and the detail
    // page can still say what the record claimed.
    for (const p of c.advisory.packages) {
      packages.push({ id: newId(), advisoryId: id, ecosystem: p.ecosystem, name: p.name, purl: p.purl, ranges: p.ranges, versions: p.versions, fixedVersions: p.fixedVersions, skippedGitRanges: p.skippedGitRanges });
    }
  }
  if (replaced.length > 0) await tx.$executeRaw`DELETE FROM "AdvisoryPackage" WHERE "advisoryId" = ANY(${replaced}::text[])`;
  // Chunked so one statement's JSON parameter stays a few megabytes even for records with many packages.
  for (let i = 0; i < packages.length; i += PACKAGE_CHUNK) {
    await tx.$executeRaw`
      INSERT INTO "AdvisoryPackage" (id, "advisoryId", ecosystem, name, purl, ranges, versions, "fixedVersions", "skippedGitRanges")
      SELECT id, "advisoryId", ecosystem, name, purl, ranges, versions, "fixedVersions", "skippedGitRanges"
      FROM jsonb_to_recordset(${JSON.stringify(packages.slice(i, i + PACKAGE_CHUNK))}::jsonb) AS t(id text, "advisoryId" text, ecosystem text,
        name text, purl text, ranges jsonb, versions text[], "fixedVersions" text[], "skippedGitRanges" integer)`;
  }
  return result;
}

const PACKAGE_CHUNK = 5_000;
