import { type Db } from "@bulwark/db";
import { z } from "zod";
import { processReport } from "../use-cases/process-report.ts";
import { DEFAULT_SWEEP_AGE_SECONDS, sweepReports } from "../use-cases/sweep-reports.ts";
import { enqueueMatchIngested, enqueueRiskRefresh } from "../vuln/jobs.ts";
import { enqueuePostureEvaluation } from "../posture/jobs.ts";
import { enqueueAlerts } from "../notifications/queue-alerts.ts";
import { enqueueRuntimeResponses } from "../response/queue-responses.ts";
import { defineJob } from "./registry.ts";

const IMAGE_FACT_KINDS: ReadonlySet<string> = new Set(["TRIVY", "SBOM", "REGISTRY"]);

export const processReportJob = defineJob({
  name: "report.process",
  schema: z.object({ reportId: z.string().min(1).max(100) }),
  async handle({ reportId }, { db, queue }) {
    const { batched = [], ...result } = await processReport(db, reportId);
    // Reports stored in this job's batch need no job of their own: drop those still waiting. A job that
    // is already running is locked and stays (it will find its report done); removal is best effort.
    await Promise.all(batched.map((id) => queue.remove(`report-${id}`).catch(() => 0)));
    // New findings, workloads or runtime alerts move risk scores; one refresh per organization per burst.
    if (result.outcome === "processed") {
      const report = await db.report.findUnique({ where: { id: reportId }, select: { orgId: true, kind: true, subject: true } });
      if (report) await enqueueRiskRefresh(queue, report.orgId);
      // Policy results: a new inventory re-evaluates its cluster; other reports change image facts (vulnerabilities, malware, scan age).
      if (report?.kind === "INVENTORY") await enqueuePostureEvaluation(queue, report.orgId, await clusterIdOf(db, report.orgId, report.subject));
      else if (report && IMAGE_FACT_KINDS.has(report.kind)) await enqueuePostureEvaluation(queue, report.orgId);
      // New package lists are matched against the advisory store at once (deduplicated per organization).
      if (report && (report.kind === "SBOM" || report.kind === "TRIVY")) await enqueueMatchIngested(queue, report.orgId);
      // Alerts are claimed, routed and sent by the notify.* jobs: ingestion never waits on a channel.
      if (report && result.alerts?.length) await enqueueAlerts(queue, report.orgId, result.alerts);
      // Runtime responses (RUNTIME ENFORCE policies listing Falco rules): alert candidates and every finding the events went to.
      if (report?.kind === "FALCO") await enqueueRuntimeResponses(queue, report.orgId, (result.alerts ?? []).map((a) => a.findingId), { reportId });
    }
    return { ...result, batched: batched.length };
  },
  // Reports queue up by the thousand in a burst of Falco events; alerts, deliveries and the other short
  // jobs carry no priority, so BullMQ takes them first instead of behind the whole backlog.
  defaults: { priority: 10 },
});

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
