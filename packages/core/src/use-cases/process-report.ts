import { gunzipSync } from "node:zlib";
import { type Db, type DbTx, plainSql, type ReportKind, type ReportStatus, withSqlTransaction } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { type NormalizedRuntimeEvent } from "../ingest/normalized.ts";
import { parseReport } from "../ingest/report-kinds.ts";
import { type AlertCandidate } from "../notifications/types.ts";
import { ingestFalco, ingestFalcoBatch } from "./ingest-falco.ts";
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
  /**
   * Findings worth an alert that this call (its whole batch) created, reopened or made worse, OPEN at
   * commit: FALCO reports' runtime findings and baseline anomalies. The job hands them to notifications.
   */
  alerts?: AlertCandidate[];
}

interface Claimed extends IngestReport {
  kind: ReportKind;
  body: Uint8Array;
  attempts: number;
}

/** Trivy reports of one organization processed together at most (see ingestTrivyBatch). */
export const DEFAULT_TRIVY_BATCH = 50;
/**
 * FALCO reports processed together at most, and their stored (gzipped) bodies' total size: connectors
 * send anything from one event to 10,000 per report, and the bytes bound a batch's events (about ten
 * thousand) where a count alone could not. At 2 MiB a worker running four batches held ~850 MiB
 * (runtime benchmark); a quarter of that keeps the per-batch cost amortized and the memory bounded.
 */
export const DEFAULT_FALCO_BATCH = 500;
export const FALCO_BATCH_BYTES = 512 * 1024;

export interface ProcessReportOptions {
  /**
   * When the report is a Trivy scan or Falco events, also claim up to this many reports in all (itself
   * included) of the same organization and kind that are waiting, and store them together. 1 turns
   * batching off. Default: DEFAULT_TRIVY_BATCH or DEFAULT_FALCO_BATCH.
   */
  batchSize?: number;
}

type Parsed = { kind: "TRIVY"; report: ParsedTrivyReport } | { kind: "FALCO"; events: NormalizedRuntimeEvent[] };

/**
 * Processes one stored report exactly once. The claim is a single conditional UPDATE, so with several
 * workers only one wins; every write of the report then happens in one transaction together with the
 * PROCESSED status, so a crash leaves either nothing or everything. A report that cannot be valid
 * (VALIDATION_FAILED) is FAILED for good; any other error puts it back to PENDING and is rethrown for
 * the queue's retry with backoff (the sweeper catches up if the queue has given up or lost the job).
 *
 * A Trivy or FALCO report takes other waiting reports of its organization and kind along (SKIP
 * LOCKED, so workers never wait on each other's claims): their own jobs then find them done. If the
 * batch fails, each report is retried alone, so one bad report never holds back the others. Reports
 * of a batch are applied oldest first, as their own jobs would have applied them.
 */
export async function processReport(db: Db, reportId: string, opts: ProcessReportOptions = {}): Promise<ProcessReportResult> {
  const { report, status } = await claim(db, reportId);
  if (!report) return { reportId, outcome: "skipped", status: status ?? "FAILED" };
  const batchable = report.kind === "TRIVY" || report.kind === "FALCO";
  const batchSize = Math.max(1, opts.batchSize ?? (report.kind === "FALCO" ? DEFAULT_FALCO_BATCH : DEFAULT_TRIVY_BATCH));
  const companions = batchable && batchSize > 1 ? await claimCompanions(db, report, batchSize - 1, report.kind === "FALCO" ? FALCO_BATCH_BYTES : null) : [];
  if (companions.length === 0) return processClaimed(db, report);

  const results = new Map<string, ProcessReportResult>();
  const prepared: { claimed: Claimed; parsed: Parsed }[] = [];
  let primaryError: unknown = null;
  // Events are applied in the order reports arrived (baselines learn, then lock): the job's own report may be newer than its companions.
  const members = report.kind === "FALCO" ? [report, ...companions].sort(byReceipt) : [report, ...companions];
  for (const claimed of members) {
    try {
      const body = decode(claimed);
      prepared.push({ claimed, parsed: claimed.kind === "FALCO" ? { kind: "FALCO", events: parseReport("FALCO", body) } : { kind: "TRIVY", report: parseReport("TRIVY", body) } });
    } catch (err) {
      try {
        results.set(claimed.id, await settle(db, claimed, err));
      } catch (e) {
        if (claimed.id === report.id) primaryError = e;
      }
    }
  }
  let alerts: AlertCandidate[] = [];
  try {
    // On a plain pg connection, so rows can be staged with COPY (see withSqlTransaction).
    await withSqlTransaction(db, async (tx) => {
      let counts: ReportCounts[];
      if (report.kind === "FALCO") {
        const out = await ingestFalcoBatch(tx, prepared.map(({ claimed, parsed }) => ({ report: claimed, events: parsed.kind === "FALCO" ? parsed.events : [] })));
        counts = out.counts;
        alerts = out.alerts;
      } else {
        const found: AlertCandidate[] = [];
        counts = await ingestTrivyBatch(tx, prepared.flatMap(({ claimed, parsed }) => (parsed.kind === "TRIVY" ? [{ report: claimed, parsed: parsed.report }] : [])), found);
        alerts = found;
      }
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
    alerts = [];
    for (const { claimed, parsed } of prepared) {
      try {
        const result = await processClaimed(db, claimed, parsed);
        results.set(claimed.id, result);
        alerts.push(...(result.alerts ?? []));
      } catch (err) {
        if (claimed.id === report.id) primaryError = err;
      }
    }
  }
  const batched = companions.filter((c) => results.get(c.id)?.status === "PROCESSED" || results.get(c.id)?.status === "FAILED").map((c) => c.id);
  if (primaryError) throw batched.length > 0 ? new BatchPartlySettledError(primaryError, batched, dedupeAlerts(alerts)) : primaryError;
  // The companions' own jobs are dropped or find their report done: the primary's job alerts for all.
  const primary = results.get(report.id) ?? { reportId, outcome: "skipped" as const, status: "PROCESSING" as const };
  return { ...primary, batched, ...(report.kind === "FALCO" || alerts.length > 0 ? { alerts: dedupeAlerts(alerts) } : {}) };
}

/** One candidate per finding; the strongest reason wins (a finding created then worsened is "created"). */
function dedupeAlerts(alerts: readonly AlertCandidate[]): AlertCandidate[] {
  const order = { created: 0, reopened: 1, escalated: 2 } as const;
  const best = new Map<string, AlertCandidate>();
  for (const a of alerts) {
    const was = best.get(a.findingId);
    if (!was || order[a.reason] < order[was.reason]) best.set(a.findingId, a);
  }
  return [...best.values()];
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

/**
 * Waiting reports of the same organization and kind, oldest first, that no other worker is claiming;
 * with maxBytes, only as many as fit (with the primary) in that many stored body bytes.
 */
async function claimCompanions(db: Db, primary: Claimed, limit: number, maxBytes: number | null): Promise<Claimed[]> {
  const budget = maxBytes === null ? null : maxBytes - primary.body.length;
  if (budget !== null && budget <= 0) return [];
  const rows = await plainSql(db).$queryRaw<Claimed[]>`
    WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
    pick AS (
      SELECT id, "receivedAt", octet_length(body) AS size FROM "Report"
      WHERE status = 'PENDING' AND "orgId" = ${primary.orgId} AND kind = ${primary.kind}::"ReportKind" AND id <> ${primary.id}
      ORDER BY "receivedAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ),
    -- Rows picked but over the budget are only locked until this statement ends, and stay PENDING.
    fit AS (
      SELECT id FROM (SELECT id, sum(size) OVER (ORDER BY "receivedAt", id) AS running FROM pick) s
      WHERE ${budget}::bigint IS NULL OR running <= ${budget}::bigint
    )
    UPDATE "Report" r SET status = 'PROCESSING', "startedAt" = now(), attempts = r.attempts + 1, error = NULL
    FROM fit WHERE r.id = fit.id AND EXISTS (SELECT 1 FROM async)
    RETURNING r.id, r."orgId", r.kind, r.subject, r.body, r.attempts, r."receivedAt"`;
  return rows.sort(byReceipt);
}

/** Oldest first (ids break ties), the order reports' jobs are queued in. */
function byReceipt(a: Claimed, b: Claimed): number {
  return a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function decode(report: Claimed): unknown {
  return JSON.parse(gunzipSync(report.body).toString("utf8"));
}

/** One claimed report in its own transaction; `parsed` skips parsing when the caller already did it. */
async function processClaimed(db: Db, report: Claimed, parsed?: Parsed): Promise<ProcessReportResult> {
  const reportId = report.id;
  try {
    if (report.kind === "FALCO") return await processFalco(db, report, parsed?.kind === "FALCO" ? parsed.events : parseReport("FALCO", decode(report)));
    const body = parsed ? null : decode(report);
    const alerts: AlertCandidate[] = [];
    const counts = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      const c = parsed?.kind === "TRIVY" ? await ingestTrivy(tx, report, parsed.report, alerts) : await ingest(tx, report, body, alerts);
      // Only the claim holder may finish the report: a takeover after a stale claim bumps attempts.
      const done = await tx.report.updateMany({
        where: { id: report.id, status: "PROCESSING", attempts: report.attempts },
        data: { status: "PROCESSED", processedAt: new Date(), counts: c, error: null },
      });
      if (done.count !== 1) throw new ClaimLostError(report.id);
      return c;
    }, TX_OPTIONS);
    return { reportId, outcome: "processed", status: "PROCESSED", counts, ...(alerts.length > 0 ? { alerts } : {}) };
  } catch (err) {
    return settle(db, report, err);
  }
}

/** Falco events alone take the batch's path too (a plain pg connection): thousands of events are staged with COPY. */
async function processFalco(db: Db, report: Claimed, events: NormalizedRuntimeEvent[]): Promise<ProcessReportResult> {
  const { counts, alerts } = await withSqlTransaction(db, async (tx) => {
    const out = await ingestFalco(tx, report, events);
    const done = await tx.$executeRaw`
      UPDATE "Report" SET status = 'PROCESSED', "processedAt" = now(), counts = ${JSON.stringify(out.counts)}::jsonb, error = NULL
      WHERE id = ${report.id} AND status = 'PROCESSING' AND attempts = ${report.attempts}`;
    if (done !== 1) throw new ClaimLostError(report.id);
    return out;
  }, { asyncCommit: true, timeoutMs: TX_OPTIONS.timeout });
  return { reportId: report.id, outcome: "processed", status: "PROCESSED", counts, alerts };
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

async function ingest(tx: DbTx, report: Claimed, body: unknown, alerts: AlertCandidate[]): Promise<ReportCounts> {
  switch (report.kind) {
    case "INVENTORY":
      return ingestInventory(tx, report, parseReport("INVENTORY", body));
    case "TRIVY":
      return ingestTrivy(tx, report, parseReport("TRIVY", body), alerts);
    case "SBOM":
      return ingestSbom(tx, report, parseReport("SBOM", body));
    case "FALCO":
      return (await ingestFalco(tx, report, parseReport("FALCO", body))).counts;
    case "REGISTRY":
      return ingestRegistry(tx, report, parseReport("REGISTRY", body));
  }
}

/**
 * The job's own report failed (it is back to PENDING and its job retries) while others of its batch
 * were settled for good: their jobs are dropped or find them done, so their follow-ups (alerts above
 * all) still belong to this job. `cause` is the primary's error, the one the job fails with.
 */
export class BatchPartlySettledError extends Error {
  constructor(
    cause: unknown,
    readonly batched: string[],
    readonly alerts: AlertCandidate[],
  ) {
    super("the job's own report failed; other reports of its batch were settled", { cause });
    this.name = "BatchPartlySettledError";
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
