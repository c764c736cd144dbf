import { type Queue } from "bullmq";
import { type Prisma } from "@bulwark/db";
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { defineJob, enqueue, type JobDeps } from "../jobs/registry.ts";
import { refreshRiskScores } from "../use-cases/refresh-risk-scores.ts";
import { rematch } from "./rematch.ts";
import { syncAdvisorySources } from "../use-cases/sync-advisory-sources.ts";
import { alertOnMatch } from "./match-alerts.ts";
import { executeScanRun, runDeltaRescan } from "./run-scan.ts";

// Re-match jobs. Delta re-matches follow advisory changes (feed sync, `bulwark vuln import`); full
// re-matches run on each organization's cron (checked every minute by one BullMQ job scheduler, so a
// new organization or an edited cron needs no scheduler bookkeeping); IMAGE/CLUSTER runs on demand.

/** Advisory ids per delta job: bounded payloads however large an import is. */
export const DELTA_CHUNK = 2_000;

/** Recomputes one organization's workload risk scores; queued (deduplicated) after anything that changes findings. */
export const riskRefreshJob = defineJob({
  name: "risk.refresh",
  schema: z.strictObject({ orgId: z.string().min(1).max(100) }),
  async handle({ orgId }, { db }: JobDeps) {
    return { orgId, ...(await refreshRiskScores(db, orgId)) };
  },
});

/** Queues a risk refresh; bursts (a batch of reports, a delta over many organizations) collapse into one per organization. */
export async function enqueueRiskRefresh(queue: Queue, orgId: string): Promise<void> {
  await enqueue(queue, riskRefreshJob, { orgId }, { deduplication: { id: `risk-refresh-${orgId}`, ttl: 10_000 }, delay: 2_000 });
}

/** Images whose package list is new since they were last matched, at most this many per job. */
const INGEST_MATCH_MAX = 5_000;

/**
 * Matches newly stored package lists (an SBOM, a Trivy scan listing packages) right after ingestion,
 * so an image is checked against today's advisories within seconds of arriving, not at the nightly run.
 * Queued deduplicated per organization after reports are processed; records an INGEST ScanRun.
 */
export const matchIngestedJob = defineJob({
  name: "vuln.match-ingested",
  schema: z.strictObject({ orgId: z.string().min(1).max(100) }),
  async handle({ orgId }, { db, logger, queue }: JobDeps) {
    const images = await db.image.findMany({ where: { orgId, matchedAt: null, packages: { some: {} } }, select: { id: true }, orderBy: { id: "asc" }, take: INGEST_MATCH_MAX });
    if (images.length === 0) return { orgId, images: 0 };
    const run = await db.scanRun.create({ data: { orgId, kind: "INGEST", status: "RUNNING", trigger: "new packages", total: images.length } });
    try {
      const stats = await rematch(db, { kind: "IMAGE", imageIds: images.map((i) => i.id) }, { onOpened: alertOnMatch(db, queue) });
      await db.scanRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: new Date(), done: images.length, stats: stats as unknown as Prisma.InputJsonObject } });
      if (stats.opened + stats.reopened + stats.resolved > 0) await enqueueRiskRefresh(queue, orgId);
      // More waiting than one job takes: continue in a follow-up job rather than holding this one.
      if (images.length === INGEST_MATCH_MAX) await enqueueMatchIngested(queue, orgId);
      return { orgId, images: images.length, opened: stats.opened };
    } catch (err) {
      logger.error({ err, scanRunId: run.id }, "ingest re-match failed");
      await db.scanRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), error: "The re-match failed; the worker log has the details." } });
      throw err;
    }
  },
});

export async function enqueueMatchIngested(queue: Queue, orgId: string): Promise<void> {
  await enqueue(queue, matchIngestedJob, { orgId }, { deduplication: { id: `match-ingested-${orgId}`, ttl: 5_000 }, delay: 1_000 });
}

export const rescanJob = defineJob({
  name: "vuln.rescan",
  schema: z.strictObject({ scanRunId: z.string().min(1) }),
  async handle({ scanRunId }, { db, logger, queue }: JobDeps) {
    const run = await executeScanRun(db, scanRunId, { logger, onOpened: alertOnMatch(db, queue) });
    if (run?.orgId && run.status === "SUCCEEDED") await enqueueRiskRefresh(queue, run.orgId);
    return { scanRunId, status: run?.status ?? "missing" };
  },
  // A failed re-match is recorded on its ScanRun; retrying the whole run blindly would only repeat it.
  defaults: { attempts: 1 },
});

export const deltaRescanJob = defineJob({
  name: "vuln.delta",
  schema: z.strictObject({ advisoryIds: z.array(z.string().min(1)).min(1).max(DELTA_CHUNK), trigger: z.string().min(1).max(200) }),
  async handle({ advisoryIds, trigger }, { db, logger, queue }: JobDeps) {
    const runs = await runDeltaRescan(db, advisoryIds, trigger, { logger, onOpened: alertOnMatch(db, queue) });
    for (const r of runs) if (r.stats.opened + r.stats.reopened + r.stats.resolved > 0) await enqueueRiskRefresh(queue, r.orgId);
    return { advisories: advisoryIds.length, runs: runs.map((r) => ({ orgId: r.orgId, scanRunId: r.scanRunId, opened: r.stats.opened, resolved: r.stats.resolved })) };
  },
});

/** Queues delta re-matches for changed advisories (chunked). Answers the number of jobs queued. */
export async function enqueueDeltaRescan(queue: Queue, advisoryIds: readonly string[], trigger: string): Promise<number> {
  let jobs = 0;
  for (let i = 0; i < advisoryIds.length; i += DELTA_CHUNK) {
    await enqueue(queue, deltaRescanJob, { advisoryIds: advisoryIds.slice(i, i + DELTA_CHUNK), trigger: trigger.slice(0, 200) });
    jobs++;
  }
  return jobs;
}

/** The latest occurrence of `cron` (UTC) at or before `now`, or null when the pattern does not parse. */
export function lastOccurrence(cron: string, now: Date): Date | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: "UTC" }).prev().toDate();
  } catch {
    return null;
  }
}

/** True when `cron` is a pattern BullMQ's own parser accepts (5 or 6 fields). */
export function isValidCron(cron: string): boolean {
  const fields = cron.trim().split(/\s+/).length;
  return (fields === 5 || fields === 6) && lastOccurrence(cron, new Date()) !== null;
}

/**
 * Every minute: an organization whose rescan cron fired since its last scheduled FULL run gets one.
 * The ScanRun's trigger names the occurrence, so a repeated tick never queues the same run twice.
 */
export const fullRescanDueJob = defineJob({
  name: "vuln.full-due",
  schema: z.strictObject({}),
  async handle(_payload, { db, queue }: JobDeps) {
    const now = new Date();
    const orgs = await db.organization.findMany({ select: { id: true, rescanCron: true } });
    let queued = 0;
    for (const org of orgs) {
      const due = lastOccurrence(org.rescanCron, now);
      // Only occurrences in the last hour: a worker that was down for a day runs one catch-up, not 24.
      if (!due || now.getTime() - due.getTime() > 3_600_000) continue;
      const trigger = `schedule:${due.toISOString()}`;
      const exists = await db.scanRun.findFirst({ where: { orgId: org.id, kind: "FULL", trigger }, select: { id: true } });
      if (exists) continue;
      const run = await db.scanRun.create({ data: { orgId: org.id, kind: "FULL", trigger } });
      await enqueue(queue, rescanJob, { scanRunId: run.id }, { jobId: `vuln-rescan-${run.id}` });
      queued++;
    }
    // Runs started while Redis was unreachable wait as QUEUED rows; the job id makes re-queuing harmless.
    const stranded = await db.scanRun.findMany({ where: { status: "QUEUED", startedAt: { lt: new Date(now.getTime() - 60_000) } }, select: { id: true }, take: 100 });
    for (const r of stranded) await enqueue(queue, rescanJob, { scanRunId: r.id }, { jobId: `vuln-rescan-${r.id}` });
    return { orgs: orgs.length, queued, requeued: stranded.length };
  },
});

/**
 * Feed sync (scheduled by the worker with the sources of BULWARK_ADVISORY_SOURCES): imports what changed
 * and queues the delta re-match for it. One at a time: the scheduler's job id never overlaps itself.
 */
export const advisoriesSyncJob = defineJob({
  name: "advisories.sync",
  schema: z.strictObject({ sources: z.array(z.strictObject({ name: z.string().min(1).max(100), location: z.string().min(1).max(4096) })).max(50) }),
  async handle({ sources }, { db, queue, logger }: JobDeps) {
    const result = await syncAdvisorySources(db, { sources });
    const jobs = await enqueueDeltaRescan(queue, result.changedAdvisoryIds, "feed-sync");
    const summary = result.sources.map((s) => ({ name: s.name, status: s.status }));
    if (result.changedAdvisoryIds.length > 0) logger.info({ sources: summary, changed: result.changedAdvisoryIds.length, deltaJobs: jobs }, "advisory feeds synced");
    return { sources: summary, changed: result.changedAdvisoryIds.length, deltaJobs: jobs };
  },
  // The next scheduled sync is the retry; a failing feed is recorded on its AdvisorySource row.
  defaults: { attempts: 1 },
});

export const vulnJobs = [rescanJob, deltaRescanJob, fullRescanDueJob, advisoriesSyncJob, riskRefreshJob, matchIngestedJob];
