import { gunzipSync } from "node:zlib";
import { type Db, type DbTx, plainSql, type ReportKind, type ReportStatus, withSqlTransaction } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { parseReport } from "../ingest/report-kinds.ts";
import { ingestFalco } from "./ingest-falco.ts";
import { ingestInventory } from "./ingest-inventory.ts";
import { ingestRegistry } from "./ingest-registry.ts";
import { type ParsedTrivyReport } from "../ingest/trivy.ts";
import { ingestSbom, ingestTrivy, ingestTrivyBatch, type IngestReport } from "./ingest-trivy.ts";

/** A PROCESSING claim older than this is taken to belong to a crashed worker and may be taken over. */
export const STALE_CLAIM_MINUTES = 10;
/** Interactive transaction bounds: a large inventory or report still fits, a stuck one is aborted. */
const TX_OPTIONS = { maxWait: 10_000, timeout: 5 * 60_000 } as const;

export type ReportCounts = Record<string, number | string>;

export interface ProcessReportResult {
  reportId: string;
  /** What this call did: processed it, found it already done/failed/claimed elsewhere, or failed it for good. */
  outcome: "processed" | "skipped" | "failed";
  status: ReportStatus;
  counts?: ReportCounts;
  /** Other reports this call settled for good (processed or failed) in the same batch. */
  batched?: string[];
}

interface Claimed extends IngestReport {
  kind: ReportKind;
  body: Uint8Array;
  attempts: number;
}

/** Trivy reports of one organization processed together at most (see ingestTrivyBatch). */
export const DEFAULT_TRIVY_BATCH = 50;

export interface ProcessReportOptions {
  /**
   * When the report is a Trivy scan, also claim up to this many reports in all (itself included) of the
   * same organization that are waiting, and store them together. 1 turns batching off.
   */
  batchSize?: number;
}

/**
 * Processes one stored report exactly once. The claim is a single conditional UPDATE, so with several
 * workers only one wins; every write of the report then happens in one transaction together with the
 * PROCESSED status, so a crash leaves either nothing or everything. A report that cannot be valid
 * (VALIDATION_FAILED) is FAILED for good; any other error puts it back to PENDING and is rethrown for
 * the queue's retry with backoff (the sweeper catches up if the queue has given up or lost the job).
 *
 * A Trivy report takes other waiting Trivy reports of its organization along (SKIP LOCKED, so workers
 * never wait on each other's claims): their own jobs then find them done. If the batch fails, each
 * report is retried alone, so one bad report never holds back the others.
 */
export async function processReport(db: Db, reportId: string, opts: ProcessReportOptions = {}): Promise<ProcessReportResult> {
  const { report, status } = await claim(db, reportId);
  if (!report) return { reportId, outcome: "skipped", status: status ?? "FAILED" };
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_TRIVY_BATCH);
  const companions = report.kind === "TRIVY" && batchSize > 1 ? await claimCompanions(db, report, batchSize - 1) : [];
  if (companions.length === 0) return processClaimed(db, report);

  const results = new Map<string, ProcessReportResult>();
  const prepared: { claimed: Claimed; parsed: ParsedTrivyReport }[] = [];
  let primaryError: unknown = null;
  for (const claimed of [report, ...companions]) {
    try {
      prepared.push({ claimed, parsed: parseReport("TRIVY", decode(claimed)) });
    } catch (err) {
      try {
        results.set(claimed.id, await settle(db, claimed, err));
      } catch (e) {
        if (claimed.id === report.id) primaryError = e;
      }
    }
  }
  try {
    // On a plain pg connection, so the findings can be staged with COPY (see withSqlTransaction).
    await withSqlTransaction(db, async (tx) => {
      const counts = await ingestTrivyBatch(tx, prepared.map(({ claimed, parsed }) => ({ report: claimed, parsed })));
      const done = await tx.$executeRaw`
        UPDATE "Report" r SET status = 'PROCESSED', "processedAt" = now(), counts = u.counts, error = NULL
        FROM unnest(${prepared.map((p) => p.claimed.id)}::text[], ${prepared.map((p) => p.claimed.attempts)}::int[],
          ${counts.map((c) => JSON.stringify(c))}::jsonb[]) AS u(id, attempts, counts)
        WHERE r.id = ANY(${prepared.map((p) => p.claimed.id)}::text[]) AND r.id = u.id AND r.status = 'PROCESSING' AND r.attempts = u.attempts`;
      if (done !== prepared.length) throw new ClaimLostError("batch");
      prepared.forEach((p, i) => results.set(p.claimed.id, { reportId: p.claimed.id, outcome: "processed", status: "PROCESSED", counts: counts[i]! }));
    }, { asyncCommit: true, timeoutMs: TX_OPTIONS.timeout });
  } catch {
    // Alone, each report either succeeds or is settled by its own rules; the primary's error is the job's.
    for (const { claimed, parsed } of prepared) {
      try {
        results.set(claimed.id, await processClaimed(db, claimed, parsed));
      } catch (err) {
        if (claimed.id === report.id) primaryError = err;
      }
    }
  }
  if (primaryError) throw primaryError;
  const batched = companions.filter((c) => results.get(c.id)?.status === "PROCESSED" || results.get(c.id)?.status === "FAILED").map((c) => c.id);
  return { ...(results.get(report.id) ?? { reportId, outcome: "skipped", status: "PROCESSING" }), batched };
}

/**
 * The claim, or the report's status as last committed when it cannot be claimed (done, failed, or in
 * another worker's hands), in one statement: most jobs of a burst find their report already stored by
 * another job's batch, so this is the whole cost of such a job. On node-postgres (see plainSql).
 */
async function claim(db: Db, reportId: string): Promise<{ report?: Claimed; status?: ReportStatus }> {
  // Commits of the claim and of the results need not wait for the WAL flush: the report itself was
  // committed durably when accepted, and a claim or result lost in a crash only means the report is
  // processed again (PENDING, or PROCESSING until the claim goes stale), never half applied.
  const rows = await plainSql(db).$queryRaw<Array<Claimed & { claimed: boolean; status: ReportStatus }>>`
    WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
    c AS (
      UPDATE "Report" SET status = 'PROCESSING', "startedAt" = now(), attempts = attempts + 1, error = NULL
      WHERE id = (
        -- A locked row is being claimed or finished by another worker (e.g. inside its batch): skip it
        -- rather than wait for that transaction, which would only find the report done.
        SELECT id FROM "Report"
        WHERE id = ${reportId}
          AND (status = 'PENDING' OR (status = 'PROCESSING' AND "startedAt" < now() - make_interval(mins => ${STALE_CLAIM_MINUTES})))
        FOR UPDATE SKIP LOCKED)
        AND EXISTS (SELECT 1 FROM async)
      RETURNING id, "orgId", kind, subject, body, attempts, "receivedAt", status
    )
    SELECT true AS claimed, * FROM c
    UNION ALL
    SELECT false, id, "orgId", kind, subject, NULL, attempts, "receivedAt", status FROM "Report"
    WHERE id = ${reportId} AND NOT EXISTS (SELECT 1 FROM c)`;
  const row = rows[0];
  if (!row) return {};
  if (!row.claimed) return { status: row.status };
  const { claimed: _claimed, status: _status, ...report } = row;
  return { report };
}

/** Waiting reports of the same organization and kind, oldest first, that no other worker is claiming. */
async function claimCompanions(db: Db, primary: Claimed, limit: number): Promise<Claimed[]> {
  return plainSql(db).$queryRaw<Claimed[]>`
    WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
    pick AS (
      SELECT id FROM "Report"
      WHERE status = 'PENDING' AND "orgId" = ${primary.orgId} AND kind = ${primary.kind}::"ReportKind" AND id <> ${primary.id}
      ORDER BY "receivedAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "Report" r SET status = 'PROCESSING', "startedAt" = now(), attempts = r.attempts + 1, error = NULL
    FROM pick WHERE r.id = pick.id AND EXISTS (SELECT 1 FROM async)
    RETURNING r.id, r."orgId", r.kind, r.subject, r.body, r.attempts, r."receivedAt"`;
}

function decode(report: Claimed): unknown {
  return JSON.parse(gunzipSync(report.body).toString("utf8"));
}

/** One claimed report in its own transaction; `parsed` skips parsing when the caller already did it. */
async function processClaimed(db: Db, report: Claimed, parsed?: ParsedTrivyReport): Promise<ProcessReportResult> {
  const reportId = report.id;
  try {
    const body = parsed ? null : decode(report);
    const counts = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      const c = parsed ? await ingestTrivy(tx, report, parsed) : await ingest(tx, report, body);
      // Only the claim holder may finish the report: a takeover after a stale claim bumps attempts.
      const done = await tx.report.updateMany({
        where: { id: report.id, status: "PROCESSING", attempts: report.attempts },
        data: { status: "PROCESSED", processedAt: new Date(), counts: c, error: null },
      });
      if (done.count !== 1) throw new ClaimLostError(report.id);
      return c;
    }, TX_OPTIONS);
    return { reportId, outcome: "processed", status: "PROCESSED", counts };
  } catch (err) {
    return settle(db, report, err);
  }
}

/** The end of a failed attempt: skipped (claim lost), FAILED for good (invalid), or back to PENDING and rethrown. */
async function settle(db: Db, report: Claimed, err: unknown): Promise<ProcessReportResult> {
  const reportId = report.id;
  if (err instanceof ClaimLostError) return { reportId, outcome: "skipped", status: "PROCESSING" };
  const invalid =
    err instanceof AppError && err.code === "VALIDATION_FAILED" ? describeValidation(err) : err instanceof SyntaxError ? "The stored body is not valid JSON" : null;
  if (invalid) {
    await db.report.updateMany({
      where: { id: report.id, status: "PROCESSING", attempts: report.attempts },
      data: { status: "FAILED", processedAt: new Date(), error: invalid },
    });
    return { reportId, outcome: "failed", status: "FAILED" };
  }
  await db.report
    .updateMany({
      where: { id: report.id, status: "PROCESSING", attempts: report.attempts },
      data: { status: "PENDING", error: errorSummary(err) },
    })
    .catch(() => undefined);
  throw err;
}

async function ingest(tx: DbTx, report: Claimed, body: unknown): Promise<ReportCounts> {
  switch (report.kind) {
    case "INVENTORY":
      return ingestInventory(tx, report, parseReport("INVENTORY", body));
    case "TRIVY":
      return ingestTrivy(tx, report, parseReport("TRIVY", body));
    case "SBOM":
      return ingestSbom(tx, report, parseReport("SBOM", body));
    case "FALCO":
      return ingestFalco(tx, report, parseReport("FALCO", body));
    case "REGISTRY":
      return ingestRegistry(tx, report, parseReport("REGISTRY", body));
  }
}

class ClaimLostError extends Error {
  constructor(id: string) {
    super(`report ${id} was claimed by another worker`);
    this.name = "ClaimLostError";
  }
}

function describeValidation(err: AppError): string {
  const fields = err.fields ?? [];
  const first = fields.slice(0, 5).map((f) => `${f.path}: ${f.message}`);
  return [err.message, ...first].join("; ").slice(0, 2_000);
}

/** GET /reports/{id} shows this: the kind of failure only, never an internal message (the worker log has it). */
function errorSummary(err: unknown): string {
  const name = err instanceof Error ? err.name : "Error";
  return `Processing failed (${name.slice(0, 100)}); it will be retried`;
}
