import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";

export const LIST_REPORTS_MAX = 100;

/** The most recent connector reports with their processing status (any member, or a "read" token). */
export async function listReports(db: Db, ctx: OrgContext, opts: { limit?: number } = {}) {
  requireReader(ctx);
  const take = Math.min(Math.max(1, Math.trunc(opts.limit ?? 20)), LIST_REPORTS_MAX);
  return db.report.findMany({
    where: { orgId: ctx.orgId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, kind: true, status: true, subject: true, counts: true, error: true, bodyBytes: true, receivedAt: true, processedAt: true },
  });
}
