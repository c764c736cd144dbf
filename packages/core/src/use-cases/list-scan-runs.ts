import { type Db, type ScanRun } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

export const listScanRunsSchema = z.object({
  kind: z.enum(["FULL", "DELTA", "IMAGE", "CLUSTER", "INGEST"]).optional(),
  targetId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The organization's re-match runs, newest first. */
export async function listScanRuns(db: Db, ctx: OrgContext, input: unknown): Promise<ScanRun[]> {
  requireReader(ctx);
  const parsed = listScanRunsSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  return db.scanRun.findMany({
    where: { orgId: ctx.orgId, ...(q.kind ? { kind: q.kind } : {}), ...(q.targetId ? { targetId: q.targetId } : {}) },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: q.limit,
  });
}

/** One run of the organization (404 for another organization's). */
export async function getScanRun(db: Db, ctx: OrgContext, id: string): Promise<ScanRun> {
  requireReader(ctx);
  const run = await db.scanRun.findFirst({ where: { id, orgId: ctx.orgId } });
  if (!run) throw AppError.notFound("Scan run");
  return run;
}
