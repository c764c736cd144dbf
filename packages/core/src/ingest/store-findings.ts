import { randomBytes } from "node:crypto";
import { canCopy, type CopyValue, Prisma, type SqlTransaction, type SqlTx } from "@bulwark/db";
import { type NormalizedFinding } from "./normalized.ts";

// Bulk storage of findings: a few statements per call whatever its size, so a report of 30,000
// findings costs a few round trips instead of 30,000. On a COPY-capable transaction new findings are
// COPYed straight in and the rest staged with COPY; otherwise rows travel as one JSON document.

// Random bytes are drawn 15 at a time from a pooled buffer: one randomBytes() call per row was a
// measurable share of bulk ingestion (a syscall and a Buffer per id).
const ID_BYTES = 15;
const POOL_IDS = 512;
let pool = Buffer.alloc(0);
let offset = 0;

/** A cuid-like id (the Prisma default is generated client-side, and raw inserts bypass the client). */
export function newId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `c${bytes.toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0")}`;
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
  /** The id a new finding gets (default: a fresh one); for callers that wrote rows referencing it first. */
  id?: string;
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
  /**
   * Images the caller created in this transaction: their rows are known to be new (their fingerprints
   * include the image digest), so the bulk path need not look them up.
   */
  newImageIds?: ReadonlySet<string>;
  /** Fingerprints the caller knows are not stored (it read the asset's findings in this run): no lookup either. */
  knownNew?: ReadonlySet<string>;
  /** An existing finding's occurrences grow by the row's (runtime events counted by the caller). */
  addOccurrences?: boolean;
}

/**
 * Upserts findings by (orgId, fingerprint). New → OPEN. Seen again → lastSeen moves forward and the
 * scanner's current view (severity, fix) is taken when this sighting is the newest. RESOLVED → reopened,
 * unless it was resolved by a report newer than this sighting. SUPPRESSED stays suppressed.
 */
export async function upsertFindings(
  tx: SqlTx,
  orgId: string,
  rows: FindingRow[],
  opts: UpsertOptions = {},
): Promise<UpsertCounts & { ids: Map<string, string>; outcomes: Map<string, keyof UpsertCounts> }> {
  const ids = new Map<string, string>();
  const outcomes = new Map<string, keyof UpsertCounts>();
  const total: UpsertCounts = { created: 0, updated: 0, reopened: 0, unchanged: 0 };
  if (canCopy(tx) && rows.length > 0) {
    const copied = await copyNewFindings(tx, orgId, rows, opts.newImageIds ?? new Set(), opts.knownNew ?? new Set(), ids, outcomes);
    total.created += copied.created;
    rows = copied.rest;
  }
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
  tx: SqlTx,
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
  const occurrences = opts.addOccurrences ? Prisma.sql`f.occurrences + EXCLUDED.occurrences` : Prisma.sql`f.occurrences`;
  const input = await stageInput(tx, rows);
  const result = await tx.$queryRaw<Array<{ fingerprint: string; id: string; outcome: keyof UpsertCounts }>>`
    WITH input AS (${input}),
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
        occurrences = ${occurrences},
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
export async function resolveMissing(tx: SqlTx, scope: ResolveScope): Promise<number> {
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
  tx: SqlTx,
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

const FINDING_COPY_COLUMNS = [
  "id", '"orgId"', "fingerprint", "type", "severity", "status", "title", "description", '"ruleId"', "source", '"imageId"', '"workloadId"',
  '"clusterId"', '"namespaceId"', '"packageName"', '"packageVersion"', '"fixedVersion"', "fixable", '"cvssScore"', '"mitreTechniques"',
  "evidence", "remediation", "occurrences", '"firstSeen"', '"lastSeen"', '"createdAt"', '"updatedAt"',
] as const;

/** The UTC wall clock, as Prisma stores `timestamp(3)` columns. */
const wallClock = (d: Date) => d.toISOString().slice(0, 23);

/**
 * Findings the organization has never seen are COPYed straight into "Finding": the first scan of an
 * image is the common case of bulk ingestion, and staging those rows only to INSERT them again would
 * write every row twice. Answers the rows that still need the upsert: those that exist, and repeats of
 * a fingerprint within `rows` (applied after the first, in order). If another transaction inserts one
 * of the fingerprints meanwhile, the COPY fails on the unique key and the caller's transaction rolls
 * back; ingestion then retries the reports one by one on the upsert path.
 */
async function copyNewFindings(
  tx: SqlTransaction,
  orgId: string,
  rows: FindingRow[],
  newImageIds: ReadonlySet<string>,
  knownNew: ReadonlySet<string>,
  ids: Map<string, string>,
  outcomes: Map<string, keyof UpsertCounts>,
): Promise<{ created: number; rest: FindingRow[] }> {
  const unknown = rows.filter((r) => !(r.imageId && newImageIds.has(r.imageId)) && !knownNew.has(r.finding.fingerprint)).map((r) => r.finding.fingerprint);
  const existing =
    unknown.length === 0
      ? []
      : await tx.$queryRaw<Array<{ fingerprint: string }>>`
          SELECT fingerprint FROM "Finding" WHERE "orgId" = ${orgId} AND fingerprint = ANY(${unknown}::text[])`;
  const taken = new Set(existing.map((e) => e.fingerprint));
  const fresh: CopyValue[][] = [];
  const rest: FindingRow[] = [];
  const now = wallClock(new Date());
  for (const r of rows) {
    const f = r.finding;
    if (taken.has(f.fingerprint)) {
      rest.push(r);
      continue;
    }
    taken.add(f.fingerprint);
    const id = r.id ?? newId();
    ids.set(f.fingerprint, id);
    outcomes.set(f.fingerprint, "created");
    fresh.push([
      id, orgId, f.fingerprint, f.type, f.severity, "OPEN", f.title, f.description, f.ruleId, f.source, r.imageId ?? null, r.workloadId ?? null,
      r.clusterId ?? null, r.namespaceId ?? null, f.packageName, f.packageVersion, f.fixedVersion, f.fixable, f.cvssScore,
      pgTextArray(f.mitreTechniques), JSON.stringify(f.evidence), f.remediation, r.occurrences ?? 1, wallClock(r.firstSeen), wallClock(r.lastSeen), now, now,
    ]);
  }
  await tx.copyRows('"Finding"', FINDING_COPY_COLUMNS, fresh);
  return { created: fresh.length, rest };
}

/** Bulk batches (a COPY-capable transaction, many rows) are staged with COPY; smaller ones travel as JSON. */
const STAGE_MIN_ROWS = 500;

const STAGE_COLUMNS = [
  ["id", "text"], ["fingerprint", "text"], ["type", "text"], ["severity", "text"], ["title", "text"], ["description", "text"],
  ["rule_id", "text"], ["source", "text"], ["image_id", "text"], ["workload_id", "text"], ["cluster_id", "text"],
  ["namespace_id", "text"], ["package_name", "text"], ["package_version", "text"], ["fixed_version", "text"],
  ["fixable", "boolean"], ["cvss", "float8"], ["mitre", "text[]"], ["evidence", "jsonb"], ["remediation", "text"],
  ["occurrences", "int"], ["first_seen", "timestamptz"], ["last_seen", "timestamptz"],
] as const;

function stageValues(r: FindingRow): CopyValue[] {
  const f = r.finding;
  return [
    r.id ?? newId(), f.fingerprint, f.type, f.severity, f.title, f.description, f.ruleId, f.source, r.imageId ?? null, r.workloadId ?? null,
    r.clusterId ?? null, r.namespaceId ?? null, f.packageName, f.packageVersion, f.fixedVersion, f.fixable, f.cvssScore,
    pgTextArray(f.mitreTechniques), JSON.stringify(f.evidence), f.remediation, r.occurrences ?? 1, r.firstSeen.toISOString(), r.lastSeen.toISOString(),
  ];
}

/**
 * The upsert's input rows as a SELECT. On a COPY-capable transaction with many rows they are COPYed into
 * a temporary table (kept per connection, emptied at commit): COPY's text format is parsed several
 * times faster than the same rows as a parameter. Otherwise they travel as one jsonb document: the
 * driver would escape every element of an array per column in JavaScript, JSON.stringify is native, and
 * jsonb is parsed once (json_to_recordset would re-parse every evidence object into jsonb).
 */
async function stageInput(tx: SqlTx, rows: FindingRow[]): Promise<Prisma.Sql> {
  const columns = Prisma.raw(STAGE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", "));
  if (canCopy(tx) && rows.length >= STAGE_MIN_ROWS) {
    await tx.$executeRaw`CREATE TEMP TABLE IF NOT EXISTS bulwark_finding_stage (${columns}) ON COMMIT DELETE ROWS`;
    await tx.$executeRaw`TRUNCATE bulwark_finding_stage`;
    await tx.copyRows("bulwark_finding_stage", STAGE_COLUMNS.map(([name]) => name), rows.map(stageValues));
    return Prisma.sql`SELECT * FROM bulwark_finding_stage`;
  }
  const payload = JSON.stringify(
    rows.map((r) => {
      const f = r.finding;
      return {
        id: r.id ?? newId(), fingerprint: f.fingerprint, type: f.type, severity: f.severity, title: f.title, description: f.description,
        rule_id: f.ruleId, source: f.source, image_id: r.imageId ?? null, workload_id: r.workloadId ?? null, cluster_id: r.clusterId ?? null,
        namespace_id: r.namespaceId ?? null, package_name: f.packageName, package_version: f.packageVersion, fixed_version: f.fixedVersion,
        fixable: f.fixable, cvss: f.cvssScore, mitre: f.mitreTechniques, evidence: f.evidence, remediation: f.remediation,
        occurrences: r.occurrences ?? 1, first_seen: r.firstSeen.toISOString(), last_seen: r.lastSeen.toISOString(),
      } satisfies Record<(typeof STAGE_COLUMNS)[number][0], unknown>;
    }),
  );
  return Prisma.sql`SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS t(${columns})`;
}

/** A text[] literal: every element quoted, so commas, braces and quotes inside survive. */
function pgTextArray(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}
