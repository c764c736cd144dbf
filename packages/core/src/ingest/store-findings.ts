import { randomBytes } from "node:crypto";
import { type DbTx, Prisma } from "@bulwark/db";
import { type NormalizedFinding } from "./normalized.ts";

// Bulk storage of findings: one INSERT … ON CONFLICT per report, whatever its size, so a report of
// 30,000 findings costs one round trip instead of 30,000. Rows travel as parallel arrays through unnest().

/** A cuid-like id (the Prisma default is generated client-side, and raw inserts bypass the client). */
export function newId(): string {
  return `c${randomBytes(15).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0")}`;
}

/** A Date as the UTC wall-clock `timestamp(3)` Prisma stores, whatever the session time zone. */
export function utc(d: Date): Prisma.Sql {
  return Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/** Joined with U+001F: text[][] cannot travel through unnest() row by row, a delimited string can. */
const ARRAY_SEP = "\u001f";

export interface FindingLinks {
  imageId?: string | null;
  workloadId?: string | null;
  clusterId?: string | null;
  namespaceId?: string | null;
}

export interface FindingRow extends FindingLinks {
  finding: Omit<NormalizedFinding, "target"> & { target?: string };
  firstSeen: Date;
  lastSeen: Date;
  /** Runtime findings count events; scanner findings count 1 per report. */
  occurrences?: number;
}

export interface UpsertCounts {
  created: number;
  updated: number;
  reopened: number;
  unchanged: number;
}

export interface UpsertOptions {
  /**
   * Runtime findings: the worst severity ever seen wins (events arrive out of order), and occurrences
   * are left to the caller, who counts the stored events.
   */
  runtime?: boolean;
}

/**
 * Upserts findings by (orgId, fingerprint). New → OPEN. Seen again → lastSeen moves forward and the
 * scanner's current view (severity, fix) is taken when this sighting is the newest. RESOLVED → reopened,
 * unless it was resolved by a report newer than this sighting. SUPPRESSED stays suppressed.
 */
export async function upsertFindings(tx: DbTx, orgId: string, rows: FindingRow[], opts: UpsertOptions = {}): Promise<UpsertCounts & { ids: Map<string, string> }> {
  const ids = new Map<string, string>();
  const total: UpsertCounts = { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  // Bounded statements: the parameter arrays stay a few MB at most.
  for (let i = 0; i < rows.length; i += 5_000) {
    const part = await upsertChunk(tx, orgId, rows.slice(i, i + 5_000), opts, ids);
    total.created += part.created;
    total.updated += part.updated;
    total.reopened += part.reopened;
    total.unchanged += part.unchanged;
  }
  return { ...total, ids };
}

async function upsertChunk(tx: DbTx, orgId: string, rows: FindingRow[], opts: UpsertOptions, ids: Map<string, string>): Promise<UpsertCounts> {
  if (rows.length === 0) return { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  const col = <T>(pick: (r: FindingRow) => T) => rows.map(pick);
  // Enum order puts CRITICAL first, so LEAST is the worst.
  const severityUpdate = opts.runtime
    ? Prisma.sql`LEAST(f.severity, EXCLUDED.severity)`
    : Prisma.sql`CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED.severity ELSE f.severity END`;
  const result = await tx.$queryRaw<Array<{ fingerprint: string; id: string; outcome: keyof UpsertCounts }>>`
    WITH input AS (
      SELECT * FROM unnest(
        ${col(() => newId())}::text[], ${col((r) => r.finding.fingerprint)}::text[], ${col((r) => r.finding.type)}::text[],
        ${col((r) => r.finding.severity)}::text[], ${col((r) => r.finding.title)}::text[], ${col((r) => r.finding.description)}::text[],
        ${col((r) => r.finding.ruleId)}::text[], ${col((r) => r.finding.source)}::text[], ${col((r) => r.imageId ?? null)}::text[],
        ${col((r) => r.workloadId ?? null)}::text[], ${col((r) => r.clusterId ?? null)}::text[], ${col((r) => r.namespaceId ?? null)}::text[],
        ${col((r) => r.finding.packageName)}::text[], ${col((r) => r.finding.packageVersion)}::text[], ${col((r) => r.finding.fixedVersion)}::text[],
        ${col((r) => r.finding.fixable)}::boolean[], ${col((r) => r.finding.cvssScore)}::float8[],
        ${col((r) => r.finding.mitreTechniques.join(ARRAY_SEP))}::text[], ${col((r) => JSON.stringify(r.finding.evidence))}::text[],
        ${col((r) => r.finding.remediation)}::text[], ${col((r) => r.occurrences ?? 1)}::int[],
        ${col((r) => r.firstSeen.toISOString())}::timestamptz[], ${col((r) => r.lastSeen.toISOString())}::timestamptz[]
      ) AS t(id, fingerprint, type, severity, title, description, rule_id, source, image_id, workload_id, cluster_id, namespace_id,
             package_name, package_version, fixed_version, fixable, cvss, mitre, evidence, remediation, occurrences, first_seen, last_seen)
    ),
    up AS (
      INSERT INTO "Finding" AS f (id, "orgId", fingerprint, type, severity, status, title, description, "ruleId", source, "imageId",
        "workloadId", "clusterId", "namespaceId", "packageName", "packageVersion", "fixedVersion", fixable, "cvssScore",
        "mitreTechniques", evidence, remediation, occurrences, "firstSeen", "lastSeen", "createdAt", "updatedAt")
      SELECT id, ${orgId}, fingerprint, type::"FindingType", severity::"Severity", 'OPEN', title, description, rule_id, source, image_id,
        workload_id, cluster_id, namespace_id, package_name, package_version, fixed_version, fixable, cvss,
        string_to_array(mitre, E'\\x1f'), evidence::jsonb, remediation, occurrences, first_seen AT TIME ZONE 'UTC', last_seen AT TIME ZONE 'UTC', now(), now()
      FROM input
      ON CONFLICT ("orgId", fingerprint) DO UPDATE SET
        status = CASE WHEN f.status = 'RESOLVED' AND EXCLUDED."lastSeen" > COALESCE(f."resolvedAt", '-infinity') THEN 'OPEN'::"FindingStatus" ELSE f.status END,
        "resolvedAt" = CASE WHEN f.status = 'RESOLVED' AND EXCLUDED."lastSeen" > COALESCE(f."resolvedAt", '-infinity') THEN NULL ELSE f."resolvedAt" END,
        severity = ${severityUpdate},
        title = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED.title ELSE f.title END,
        description = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED.description ELSE f.description END,
        "fixedVersion" = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED."fixedVersion" ELSE f."fixedVersion" END,
        fixable = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED.fixable ELSE f.fixable END,
        "cvssScore" = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED."cvssScore" ELSE f."cvssScore" END,
        "mitreTechniques" = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED."mitreTechniques" ELSE f."mitreTechniques" END,
        evidence = CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED.evidence ELSE f.evidence END,
        "workloadId" = COALESCE(EXCLUDED."workloadId", f."workloadId"),
        "clusterId" = COALESCE(EXCLUDED."clusterId", f."clusterId"),
        "namespaceId" = COALESCE(EXCLUDED."namespaceId", f."namespaceId"),
        "firstSeen" = LEAST(f."firstSeen", EXCLUDED."firstSeen"),
        "lastSeen" = GREATEST(f."lastSeen", EXCLUDED."lastSeen"),
        "updatedAt" = now()
      -- Subqueries here read the statement's snapshot: the row as it was before this upsert (by primary key).
      RETURNING f.id, f.fingerprint, f.status, (xmax = 0) AS inserted,
        (SELECT o.status FROM "Finding" o WHERE o.id = f.id) AS prev_status,
        (SELECT (o.severity, o."fixedVersion", o.title) IS DISTINCT FROM (f.severity, f."fixedVersion", f.title) FROM "Finding" o WHERE o.id = f.id) AS changed
    )
    SELECT fingerprint, id,
      CASE WHEN inserted THEN 'created'
           WHEN prev_status = 'RESOLVED' AND status = 'OPEN' THEN 'reopened'
           WHEN changed THEN 'updated'
           ELSE 'unchanged' END AS outcome
    FROM up`;
  const counts: UpsertCounts = { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  for (const r of result) {
    counts[r.outcome]++;
    ids.set(r.fingerprint, r.id);
  }
  return counts;
}

export interface ResolveScope {
  orgId: string;
  source: string;
  /** The sighting time of the report: only findings last seen before it resolve. */
  at: Date;
  imageId?: string;
  /** For scans without an image: the artifact recorded in evidence.artifact. */
  artifact?: string;
  workloadIds?: string[];
  types?: string[];
  /** Fingerprints still present, which must stay open. */
  keep?: string[];
}

/** OPEN findings of an asset that a newer full report no longer lists → RESOLVED. Answers how many. */
export async function resolveMissing(tx: DbTx, scope: ResolveScope): Promise<number> {
  const byAsset = scope.imageId !== undefined || scope.workloadIds !== undefined;
  const conds: Prisma.Sql[] = [
    // With an image or workload id the (imageId|workloadId, status) index is the right path. A young org's
    // statistics make "orgId" look rare, and the planner would rather walk all of the org's findings by
    // (orgId, lastSeen); the COALESCE keeps the org filter while taking it out of index matching (the
    // ingest use cases write org filters next to asset ids the same way, for the same reason).
    byAsset ? Prisma.sql`COALESCE("orgId", '') = ${scope.orgId}` : Prisma.sql`"orgId" = ${scope.orgId}`,
    Prisma.sql`status = 'OPEN'`,
    Prisma.sql`source = ${scope.source}`,
    Prisma.sql`"lastSeen" < ${utc(scope.at)}`,
  ];
  if (scope.imageId) conds.push(Prisma.sql`"imageId" = ${scope.imageId}`);
  if (scope.artifact !== undefined) conds.push(Prisma.sql`"imageId" IS NULL AND evidence->>'artifact' = ${scope.artifact}`);
  if (scope.workloadIds) conds.push(Prisma.sql`"workloadId" = ANY(${scope.workloadIds}::text[])`);
  if (scope.types) conds.push(Prisma.sql`type::text = ANY(${scope.types}::text[])`);
  if (scope.keep && scope.keep.length > 0) conds.push(Prisma.sql`NOT (fingerprint = ANY(${scope.keep}::text[]))`);
  return tx.$executeRaw`UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = ${utc(scope.at)}, "updatedAt" = now() WHERE ${Prisma.join(conds, " AND ")}`;
}
