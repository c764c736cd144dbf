import { type Db } from "@bulwark/db";
import { type Queue } from "bullmq";
import { z } from "zod";
import { BatchPartlySettledError, processReport, type ProcessReportResult } from "../use-cases/process-report.ts";
import { DEFAULT_SWEEP_AGE_SECONDS, sweepReports } from "../use-cases/sweep-reports.ts";
import { enqueueMatchIngested, enqueueRiskRefresh } from "../vuln/jobs.ts";
import { enqueuePostureEvaluation } from "../posture/jobs.ts";
import { enqueueAlerts } from "../notifications/queue-alerts.ts";
import { type AlertCandidate } from "../notifications/types.ts";
import { enqueueRuntimeResponses } from "../response/queue-responses.ts";
import { defineJob } from "./registry.ts";

const IMAGE_FACT_KINDS: ReadonlySet<string> = new Set(["TRIVY", "SBOM", "REGISTRY"]);

/** BullMQ priority (lower runs first) of reports holding a critical runtime event; routine reports have 10. */
export const URGENT_REPORT_PRIORITY = 2;

export const processReportJob = defineJob({
  name: "report.process",
  schema: z.object({ reportId: z.string().min(1).max(100) }),
  async handle({ reportId }, { db, queue }) {
    let out: ProcessReportResult;
    try {
      out = await processReport(db, reportId);
    } catch (err) {
      if (!(err instanceof BatchPartlySettledError)) throw err;
      // The companions settled for good still get their alerts and refreshes; the job then fails and retries its own report.
      await afterProcessed(db, queue, reportId, err.batched, err.alerts);
      throw err.cause;
    }
    const { batched = [], ...result } = out;
    // An invalid report of its own (FAILED) does not cancel what its batch stored for the others.
    if (result.outcome === "processed" || batched.length > 0) await afterProcessed(db, queue, reportId, batched, result.alerts ?? []);
    return { ...result, batched: batched.length };
  },
  // Reports queue up by the thousand in a burst of Falco events; alerts, deliveries and the other short
  // jobs carry no priority, so BullMQ takes them first instead of behind the whole backlog.
  defaults: { priority: 10 },
});

/** Reports stored in this job's batch need no job of their own: drop those still waiting. A job that is
 * already running is locked and stays (it will find its report done); removal is best effort. */
async function dropBatchedJobs(queue: Queue, batched: readonly string[]): Promise<void> {
  await Promise.all(batched.map((id) => queue.remove(`report-${id}`).catch(() => 0)));
}

/** What follows a stored batch: everything keyed by the organization (and cluster), deduplicated downstream. */
async function afterProcessed(db: Db, queue: Queue, reportId: string, batched: readonly string[], alerts: AlertCandidate[]): Promise<void> {
  await dropBatchedJobs(queue, batched);
  const report = await db.report.findUnique({ where: { id: reportId }, select: { orgId: true, kind: true, subject: true } });
  if (!report) return;
  // New findings, workloads or runtime alerts move risk scores; one refresh per organization per burst.
  await enqueueRiskRefresh(queue, report.orgId);
  // Policy results: a new inventory re-evaluates its cluster; other reports change image facts (vulnerabilities, malware, scan age).
  if (report.kind === "INVENTORY") await enqueuePostureEvaluation(queue, report.orgId, await clusterIdOf(db, report.orgId, report.subject));
  else if (IMAGE_FACT_KINDS.has(report.kind)) await enqueuePostureEvaluation(queue, report.orgId);
  // New package lists are matched against the advisory store at once (deduplicated per organization).
  if (report.kind === "SBOM" || report.kind === "TRIVY") await enqueueMatchIngested(queue, report.orgId);
  // Alerts are claimed, routed and sent by the notify.* jobs: ingestion never waits on a channel.
  if (alerts.length) await enqueueAlerts(queue, report.orgId, alerts);
  // Runtime responses (RUNTIME ENFORCE policies listing Falco rules): alert candidates and every finding the events went to.
  if (report.kind === "FALCO") await enqueueRuntimeResponses(queue, report.orgId, alerts.map((a) => a.findingId), { reportId });
}

async function clusterIdOf(db: Db, orgId: string, name: string | null): Promise<string | undefined> {
  if (!name) return undefined;
  return (await db.cluster.findUnique({ where: { orgId_name: { orgId, name } }, select: { id: true } }))?.id;
}

/** Scheduled by every worker (one schedule in Redis): re-queues reports whose job was lost. */
export const sweepReportsJob = defineJob({
  name: "reports.sweep",
  schema: z.object({ olderThanSeconds: z.number().int().min(0).max(86_400).default(DEFAULT_SWEEP_AGE_SECONDS) }),
  async handle({ olderThanSeconds }, { db, queue, logger }) {
    const result = await sweepReports(db, queue, olderThanSeconds);
    if (result.enqueued || result.gaveUp) logger.info(result, "swept stale reports");
    return result;
  },
  // A missed sweep is replaced by the next one; retrying it would only pile up.
  defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
