import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { type Queue } from "bullmq";
import { type Db, plainSql, type ReportKind, type ReportStatus } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { hasCriticalFalcoEvent } from "../ingest/falco.ts";
import { validateReport } from "../ingest/report-kinds.ts";
import { newId } from "../ingest/store-findings.ts";
import { enqueue } from "../jobs/registry.ts";
import { processReportJob, URGENT_REPORT_PRIORITY } from "../jobs/report-jobs.ts";

export const INGEST_SCOPE = "ingest";

export const idempotencyKeySchema = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, "Use printable ASCII without spaces");

export interface AcceptReportInput {
  kind: ReportKind;
  /** Cluster name (inventory), registry name (registry), image digest (SBOM), or null. */
  subject?: string | null;
  /** The parsed JSON body. */
  body: unknown;
  idempotencyKey?: string | null;
}

export interface AcceptedReport {
  id: string;
  kind: ReportKind;
  status: ReportStatus;
  /** True when the Idempotency-Key matched an earlier report: this is its first answer again. */
  duplicate: boolean;
}

/** Connector tokens need the ingest scope; a token bound to a cluster or registry reports only for it. */
async function assertMayIngest(db: Db, ctx: OrgContext, kind: ReportKind, subject: string | null): Promise<void> {
  if (ctx.actor.type !== "token") throw AppError.forbidden("Reports are sent with a connector token");
  if (!ctx.actor.scopes.includes(INGEST_SCOPE)) throw AppError.forbidden(`This token lacks the "${INGEST_SCOPE}" scope`);
  if (kind === "INVENTORY" && ctx.actor.clusterId) {
    const bound = await db.cluster.findFirst({ where: { id: ctx.actor.clusterId, orgId: ctx.orgId }, select: { name: true } });
    if (bound?.name !== subject) throw AppError.forbidden(`This token may only report for cluster "${bound?.name ?? "?"}"`);
  }
  if (kind === "REGISTRY" && ctx.actor.registryId) {
    const bound = await db.registry.findFirst({ where: { id: ctx.actor.registryId, orgId: ctx.orgId }, select: { name: true } });
    if (bound?.name !== subject) throw AppError.forbidden(`This token may only report for registry "${bound?.name ?? "?"}"`);
  }
}

/**
 * Validates a connector's report, commits it to Postgres, then queues its processing. The report is
 * durable before the caller hears 202: if Redis or the workers are down it waits as PENDING and the
 * sweeper queues it later. A repeated Idempotency-Key returns the first report's answer.
 */
export async function acceptReport(db: Db, queue: Queue | null, ctx: OrgContext, input: AcceptReportInput): Promise<AcceptedReport> {
  const subject = input.subject ?? null;
  await assertMayIngest(db, ctx, input.kind, subject);
  let key: string | null = null;
  if (input.idempotencyKey != null) {
    const k = idempotencyKeySchema.safeParse(input.idempotencyKey);
    if (!k.success) throw new AppError("VALIDATION_FAILED", "Invalid Idempotency-Key header", { fields: [{ path: "Idempotency-Key", message: k.error.issues[0]?.message ?? "invalid" }] });
    key = k.data;
  }

  const json = JSON.stringify(input.body);
  const sha = createHash("sha256").update(json).digest("hex");
  if (key) {
    const earlier = await db.report.findUnique({ where: { orgId_idempotencyKey: { orgId: ctx.orgId, idempotencyKey: key } } });
    if (earlier) return sameAnswer(earlier, input.kind, subject, sha);
  }

  validateReport(input.kind, input.body);
  const body = gzipSync(json, { level: 1 });
  let report: { id: string; kind: ReportKind; status: ReportStatus } | undefined;
  try {
    // One plain INSERT on node-postgres: connectors post hundreds of reports at once, each pays it.
    const rows = await plainSql(db).$queryRaw<Array<{ id: string; kind: ReportKind; status: ReportStatus }>>`
      INSERT INTO "Report" (id, "orgId", kind, subject, "tokenId", "idempotencyKey", body, "bodyBytes", "bodySha256")
      VALUES (${newId()}, ${ctx.orgId}, ${input.kind}::"ReportKind", ${subject}, ${ctx.actor.type === "token" ? ctx.actor.tokenId : null},
        ${key}, ${body}, ${Buffer.byteLength(json)}, ${sha})
      RETURNING id, kind, status`;
    report = rows[0];
  } catch (err) {
    // Two retries racing with one key: the loser answers with the winner's report.
    if (key && isUniqueViolation(err)) {
      const earlier = await db.report.findUniqueOrThrow({ where: { orgId_idempotencyKey: { orgId: ctx.orgId, idempotencyKey: key } } });
      return sameAnswer(earlier, input.kind, subject, sha);
    }
    throw err;
  }
  if (!report) throw new Error("INSERT … RETURNING answered no row");
  if (queue) {
    // Queueing is best effort: the stored report is the source of truth and the sweeper catches up.
    // A report with a critical runtime event overtakes the backlog of routine ones (it still takes the
    // oldest waiting reports along in its batch), so its alert does not wait behind thousands of events.
    const urgent = input.kind === "FALCO" && hasCriticalFalcoEvent(input.body);
    await enqueue(queue, processReportJob, { reportId: report.id }, { jobId: `report-${report.id}`, ...(urgent ? { priority: URGENT_REPORT_PRIORITY } : {}) }).catch(
      () => undefined,
    );
  }
  return { id: report.id, kind: report.kind, status: report.status, duplicate: false };
}

function sameAnswer(
  earlier: { id: string; kind: ReportKind; status: ReportStatus; subject: string | null; bodySha256: string },
  kind: ReportKind,
  subject: string | null,
  sha: string,
): AcceptedReport {
  if (earlier.kind !== kind || earlier.subject !== subject || earlier.bodySha256 !== sha) {
    throw new AppError("CONFLICT", "This Idempotency-Key was already used for a different report");
  }
  return { id: earlier.id, kind: earlier.kind, status: earlier.status, duplicate: true };
}
