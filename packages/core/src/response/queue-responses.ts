import { type Queue } from "bullmq";
import { z } from "zod";
import { defineJob, enqueue, type JobDeps } from "../jobs/registry.ts";
import { requestRuntimeResponses } from "./runtime.ts";

// Runtime responses run in their own job after a Falco report is processed: deciding them needs the
// policy set and exceptions, and a failure here must never fail (and re-run) the ingestion itself.
// The job is idempotent: actions are created once per target (create-actions.ts).

const MAX_FINDINGS_PER_JOB = 1000;

export const runtimeResponseJob = defineJob({
  name: "response.evaluate-runtime",
  schema: z.strictObject({
    orgId: z.string().min(1).max(100),
    findingIds: z.array(z.string().min(1).max(100)).max(MAX_FINDINGS_PER_JOB),
    /** A processed FALCO report: the findings its events went to are checked too. */
    reportId: z.string().min(1).max(100).optional(),
  }),
  async handle({ orgId, findingIds, reportId }, { db, logger }: JobDeps) {
    if (!(await db.organization.findUnique({ where: { id: orgId }, select: { id: true } }))) return { orgId, skipped: "organization not found" };
    const result = await requestRuntimeResponses(db, orgId, findingIds, { reportId });
    if (result.created.length > 0) logger.info({ orgId, created: result.created.length, deferred: result.deferred }, "runtime response actions requested");
    return { orgId, findings: findingIds.length, created: result.created.length, duplicates: result.duplicates, deferred: result.deferred };
  },
});

export const responseJobs = [runtimeResponseJob];

/**
 * Queues the runtime response check for these RUNTIME findings (a Falco report's alert candidates) and,
 * with `reportId`, for every finding that report's events went to.
 */
export async function enqueueRuntimeResponses(queue: Queue, orgId: string, findingIds: string[], opts: { reportId?: string } = {}): Promise<void> {
  const ids = [...new Set(findingIds)];
  if (ids.length === 0 && !opts.reportId) return;
  for (let i = 0; i === 0 || i < ids.length; i += MAX_FINDINGS_PER_JOB) {
    // The report's own findings are looked up once, by the first job.
    await enqueue(queue, runtimeResponseJob, { orgId, findingIds: ids.slice(i, i + MAX_FINDINGS_PER_JOB), ...(i === 0 && opts.reportId ? { reportId: opts.reportId } : {}) });
  }
}
