import { z } from "zod";
import { takePostureSnapshot } from "../use-cases/take-posture-snapshot.ts";
import { createRegistry, defineJob, enqueue } from "./registry.ts";
import { exceptionsExpireJob } from "../exceptions/jobs.ts";
import { vulnJobs } from "../vuln/jobs.ts";
import { processReportJob, sweepReportsJob } from "./report-jobs.ts";
import { postureJobs } from "../posture/jobs.ts";
import { runtimeRetentionJob } from "../runtime/retention.ts";
import { notificationJobs } from "../notifications/jobs.ts";
import { responseJobs } from "../response/queue-responses.ts";

export const postureSnapshotJob = defineJob({
  name: "posture.snapshot",
  schema: z.object({ orgId: z.string().min(1) }),
  async handle({ orgId }, { db }) {
    const snap = await takePostureSnapshot(db, orgId);
    return { orgId, day: snap.day.toISOString().slice(0, 10), score: snap.score };
  },
});

/** Fans out one snapshot job per organization; scheduled daily by the worker. */
export const postureSnapshotAllJob = defineJob({
  name: "posture.snapshot-all",
  schema: z.object({}).strict(),
  async handle(_payload, { db, queue }) {
    const orgs = await db.organization.findMany({ select: { id: true } });
    const day = new Date().toISOString().slice(0, 10);
    // One job id per org and day: a re-run of the fan-out does not queue duplicates.
    for (const { id } of orgs) {
      await enqueue(queue, postureSnapshotJob, { orgId: id }, { jobId: `posture-snapshot-${id}-${day}` });
    }
    return { orgs: orgs.length, day };
  },
});

export const jobRegistry = createRegistry([postureSnapshotJob, postureSnapshotAllJob, processReportJob, sweepReportsJob, exceptionsExpireJob, runtimeRetentionJob, ...vulnJobs, ...postureJobs, ...notificationJobs, ...responseJobs]);
