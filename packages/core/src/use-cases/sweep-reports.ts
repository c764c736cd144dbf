import { type Queue } from "bullmq";
import { type Db } from "@bulwark/db";
import { enqueue } from "../jobs/registry.ts";
import { processReportJob } from "../jobs/report-jobs.ts";
import { STALE_CLAIM_MINUTES } from "./process-report.ts";

/** After this many claims a report is given up on (FAILED) instead of being swept again forever. */
export const MAX_REPORT_ATTEMPTS = 25;
export const DEFAULT_SWEEP_AGE_SECONDS = 30;
const BATCH = 1_000;

export interface SweepResult {
  enqueued: number;
  gaveUp: number;
}

/**
 * Re-queues reports whose job was lost: accepted while Redis was down, or whose job used up its
 * retries, or whose worker died mid-processing. Job ids are `report-<id>`, so a report already waiting
 * in the queue is not queued twice; a finished job of the same id is removed first, else BullMQ would
 * treat the new one as a duplicate. Safe to run any number of times, from any number of workers.
 */
export async function sweepReports(db: Db, queue: Queue, olderThanSeconds = DEFAULT_SWEEP_AGE_SECONDS): Promise<SweepResult> {
  const gaveUp = await db.$executeRaw`UPDATE "Report" SET status = 'FAILED', "processedAt" = now(),
      error = ${`Processing failed ${MAX_REPORT_ATTEMPTS} times; giving up`}
    WHERE status = 'PENDING' AND attempts >= ${MAX_REPORT_ATTEMPTS}`;
  const stale = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Report"
    WHERE (status = 'PENDING' AND "receivedAt" <= now() - make_interval(secs => ${olderThanSeconds}))
       OR (status = 'PROCESSING' AND "startedAt" < now() - make_interval(mins => ${STALE_CLAIM_MINUTES}))
    ORDER BY "receivedAt" LIMIT ${BATCH}`;
  let enqueued = 0;
  for (const { id } of stale) {
    const jobId = `report-${id}`;
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state !== "completed" && state !== "failed") continue;
      await existing.remove().catch(() => undefined);
    }
    await enqueue(queue, processReportJob, { reportId: id }, { jobId });
    enqueued++;
  }
  return { enqueued, gaveUp };
}
