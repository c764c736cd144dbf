import { randomBytes } from "node:crypto";
import { type DbTx, Prisma } from "@bulwark/db";
import { type NormalizedFinding } from "./normalized.ts";

// Bulk storage of findings: one INSERT … ON CONFLICT per report, whatever its size, so a report of
// 30,000 findings costs one round trip instead of 30,000. Rows travel as one JSON document.

/** A cuid-like id (the Prisma default is generated client-side, and raw inserts bypass the client). */
export function newId(): string {
  return `c${randomBytes(15).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0")}`;
}

/** A Date as the UTC wall-clock `timestamp(3)` Prisma stores, whatever the session time zone. */
export function utc(d: Date): Prisma.Sql {
  return Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}


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
export async function upsertFindings(
  tx: DbTx,
  orgId: string,
  rows: FindingRow[],
  opts: UpsertOptions = {},
): Promise<UpsertCounts & { ids: Map<string, string>; outcomes: Map<string, keyof UpsertCounts> }> {
  const ids = new Map<string, string>();
  const outcomes = new Map<string, keyof UpsertCounts>();
  const total: UpsertCounts = { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  // Bounded statements: the parameter arrays stay a few MB at most.
  for (let i = 0; i < rows.length; i += 5_000) {
    const part = await upsertChunk(tx, orgId, rows.slice(i, i + 5_000), opts, ids, outcomes);
    total.created += part.created;
    total.updated += part.updated;
    total.reopened += part.reopened;
    total.unchanged += part.unchanged;
  }
  return { ...total, ids, outcomes };
}

async function upsertChunk(
  tx: DbTx,
  orgId: string,
  rows: FindingRow[],
  opts: UpsertOptions,
  ids: Map<string, string>,
  outcomes: Map<string, keyof UpsertCounts>,
): Promise<UpsertCounts> {
  if (rows.length === 0) return { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  // Enum order puts CRITICAL first, so LEAST is the worst.
  const severityUpdate = opts.runtime
    ? Prisma.sql`LEAST(f.severity, EXCLUDED.severity)`
    : Prisma.sql`CASE WHEN EXCLUDED."lastSeen" >= f."lastSeen" THEN EXCLUDED.severity ELSE f.severity END`;
  // One JSON document instead of an array per column: the driver escapes every array element in
  // JavaScript, while JSON.stringify is native and json_to_recordset parses it in one pass.
  const payload = JSON.stringify(
    rows.map((r) => ({
      id: newId(),
      fingerprint: r.finding.fingerprint,
      type: r.finding.type,
      severity: r.finding.severity,
      title: r.finding.title,
      description: r.finding.description,
      rule_id: r.finding.ruleId,
      source: r.finding.source,
      image_id: r.imageId ?? null,
      workload_id: r.workloadId ?? null,
      cluster_id: r.clusterId ?? null,
      namespace_id: r.namespaceId ?? null,
      package_name: r.finding.packageName,
      package_version: r.finding.packageVersion,
      fixed_version: r.finding.fixedVersion,
      fixable: r.finding.fixable,
      cvss: r.finding.cvssScore,
      mitre: r.finding.mitreTechniques,
      evidence: r.finding.evidence,
      remediation: r.finding.remediation,
      occurrences: r.occurrences ?? 1,
      first_seen: r.firstSeen.toISOString(),
      last_seen: r.lastSeen.toISOString(),
    })),
  );
  const result = await tx.$queryRaw<Array<{ fingerprint: string; id: string; outcome: keyof UpsertCounts }>>`
    WITH input AS (
      SELECT * FROM json_to_recordset(${payload}::json) AS t(id text, fingerprint text, type text, severity text, title text,
        description text, rule_id text, source text, image_id text, workload_id text, cluster_id text, namespace_id text,
        package_name text, package_version text, fixed_version text, fixable boolean, cvss float8, mitre text[], evidence jsonb,
        remediation text, occurrences int, first_seen timestamptz, last_seen timestamptz)
    ),
    up AS (
      INSERT INTO "Finding" AS f (id, "orgId", fingerprint, type, severity, status, title, description, "ruleId", source, "imageId",
        "workloadId", "clusterId", "namespaceId", "packageName", "packageVersion", "fixedVersion", fixable, "cvssScore",
        "mitreTechniques", evidence, remediation, occurrences, "firstSeen", "lastSeen", "createdAt", "updatedAt")
      SELECT id, ${orgId}, fingerprint, type::"FindingType", severity::"Severity", 'OPEN', title, description, rule_id, source, image_id,
        workload_id, cluster_id, namespace_id, package_name, package_version, fixed_version, fixable, cvss,
        mitre, evidence, remediation, occurrences, first_seen AT TIME ZONE 'UTC', last_seen AT TIME ZONE 'UTC', now(), now()
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
      -- The subquery reads the statement's snapshot: the row as it was before this upsert (by primary key).
      -- CASE evaluates it only for rows that existed, so a report of new findings pays nothing for it.
      RETURNING f.id, f.fingerprint,
        CASE WHEN xmax = 0 THEN 'created' ELSE (
          SELECT CASE WHEN o.status = 'RESOLVED' AND f.status = 'OPEN' THEN 'reopened'
                      WHEN (o.severity, o."fixedVersion", o.title) IS DISTINCT FROM (f.severity, f."fixedVersion", f.title) THEN 'updated'
                      ELSE 'unchanged' END
          FROM "Finding" o WHERE o.id = f.id) END AS outcome
    )
    SELECT fingerprint, id, outcome FROM up`;
  const counts: UpsertCounts = { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  for (const r of result) {
    counts[r.outcome]++;
    ids.set(r.fingerprint, r.id);
    outcomes.set(r.fingerprint, r.outcome);
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

/**
 * resolveMissing for many images at once, each with its own report time: an image's OPEN findings from
 * `source` last seen before its report resolve. Findings the report listed were just upserted with
 * lastSeen ≥ that time, so they stay open without a keep list. Answers resolved counts by image id.
 */
export async function resolveMissingForImages(
  tx: DbTx,
  orgId: string,
  source: string,
  images: ReadonlyArray<{ imageId: string; at: Date }>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (images.length === 0) return out;
  const rows = await tx.$queryRaw<Array<{ imageId: string; n: bigint }>>`
    WITH r AS (
      UPDATE "Finding" f SET status = 'RESOLVED', "resolvedAt" = u.at AT TIME ZONE 'UTC', "updatedAt" = now()
      FROM unnest(${images.map((i) => i.imageId)}::text[], ${images.map((i) => i.at.toISOString())}::timestamptz[]) AS u(image_id, at)
      WHERE f."imageId" = u.image_id AND COALESCE(f."orgId", '') = ${orgId} AND f.status = 'OPEN' AND f.source = ${source}
        AND f."lastSeen" < u.at AT TIME ZONE 'UTC'
      RETURNING f."imageId"
    )
    SELECT "imageId", count(*) AS n FROM r GROUP BY "imageId"`;
  for (const r of rows) out.set(r.imageId, Number(r.n));
  return out;
}
