import { type Queue } from "bullmq";
import { type Db, type ScanRun } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { enqueue } from "../jobs/registry.ts";
import { rescanJob } from "../vuln/jobs.ts";

// On-demand re-match of the organization (FULL), one image or one cluster against the current advisory
// store. The run is queued for the worker; its ScanRun reports progress for the UI's progress bar.

export const startRescanSchema = z.strictObject({
  kind: z.enum(["FULL", "IMAGE", "CLUSTER"]),
  targetId: z.string().min(1).max(100).optional().meta({ description: "Image id (IMAGE) or cluster id (CLUSTER)" }),
});

/** `queue` null (Redis unreachable): the run stays QUEUED and the worker's minute tick queues it. */
export async function startRescan(db: Db, queue: Queue | null, ctx: OrgContext, input: unknown): Promise<ScanRun> {
  const actor = requireRole(ctx, "ANALYST");
  const parsed = startRescanSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { kind, targetId } = parsed.data;
  if (kind !== "FULL" && !targetId) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "targetId", message: `A ${kind.toLowerCase()} rescan needs the ${kind.toLowerCase()} id` }] });
  if (kind === "IMAGE" && !(await db.image.findFirst({ where: { id: targetId, orgId: ctx.orgId }, select: { id: true } }))) throw AppError.notFound("Image");
  if (kind === "CLUSTER" && !(await db.cluster.findFirst({ where: { id: targetId, orgId: ctx.orgId }, select: { id: true } }))) throw AppError.notFound("Cluster");
  const run = await db.$transaction(async (tx) => {
    const created = await tx.scanRun.create({ data: { orgId: ctx.orgId, kind, targetId: kind === "FULL" ? null : targetId, trigger: `user:${actor.email}` } });
    await writeAudit(tx, ctx, { action: "scan_run.started", targetType: "scan_run", targetId: created.id, metadata: { kind, targetId: targetId ?? null } });
    return created;
  });
  if (queue) await enqueue(queue, rescanJob, { scanRunId: run.id }, { jobId: `vuln-rescan-${run.id}` });
  return run;
}
