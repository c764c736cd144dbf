import { gunzipSync } from "node:zlib";
import { type Db, type DbTx, type ReportKind, type ReportStatus } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { parseReport } from "../ingest/report-kinds.ts";
import { ingestFalco } from "./ingest-falco.ts";
import { ingestInventory } from "./ingest-inventory.ts";
import { ingestRegistry } from "./ingest-registry.ts";
import { ingestSbom, ingestTrivy, type IngestReport } from "./ingest-trivy.ts";

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
}

interface Claimed extends IngestReport {
  kind: ReportKind;
  body: Uint8Array;
  attempts: number;
}

/**
 * Processes one stored report exactly once. The claim is a single conditional UPDATE, so with several
 * workers only one wins; every write of the report then happens in one transaction together with the
 * PROCESSED status, so a crash leaves either nothing or everything. A report that cannot be valid
 * (VALIDATION_FAILED) is FAILED for good; any other error puts it back to PENDING and is rethrown for
 * the queue's retry with backoff (the sweeper catches up if the queue has given up or lost the job).
 */
export async function processReport(db: Db, reportId: string): Promise<ProcessReportResult> {
  // Commits of the claim and of the results need not wait for the WAL flush: the report itself was
  // committed durably when accepted, and a claim or result lost in a crash only means the report is
  // processed again (PENDING, or PROCESSING until the claim goes stale), never half applied.
  const claimed = await db.$queryRaw<Claimed[]>`
    WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
    UPDATE "Report" SET status = 'PROCESSING', "startedAt" = now(), attempts = attempts + 1, error = NULL
    WHERE id = ${reportId}
      AND EXISTS (SELECT 1 FROM async)
      AND (status = 'PENDING' OR (status = 'PROCESSING' AND "startedAt" < now() - make_interval(mins => ${STALE_CLAIM_MINUTES})))
    RETURNING id, "orgId", kind, subject, body, attempts, "receivedAt"`;
  const report = claimed[0];
  if (!report) {
    const current = await db.report.findUnique({ where: { id: reportId }, select: { status: true } });
    return { reportId, outcome: "skipped", status: current?.status ?? "FAILED" };
  }

  try {
    const body: unknown = JSON.parse(gunzipSync(report.body).toString("utf8"));
    const counts = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      const c = await ingest(tx, report, body);
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
    if (err instanceof ClaimLostError) return { reportId, outcome: "skipped", status: "PROCESSING" };
    if (err instanceof AppError && err.code === "VALIDATION_FAILED") {
      const message = describeValidation(err);
      await db.report.updateMany({
        where: { id: report.id, status: "PROCESSING", attempts: report.attempts },
        data: { status: "FAILED", processedAt: new Date(), error: message },
      });
      return { reportId, outcome: "failed", status: "FAILED" };
    }
    if (err instanceof SyntaxError) {
      await db.report.updateMany({
        where: { id: report.id, status: "PROCESSING", attempts: report.attempts },
        data: { status: "FAILED", processedAt: new Date(), error: "The stored body is not valid JSON" },
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
