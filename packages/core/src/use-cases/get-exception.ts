import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { type ExceptionView, loadException, toView } from "../exceptions/view.ts";

export interface ExceptionDetail extends ExceptionView {
  /** Findings suppressed by this exception right now. */
  suppressedCount: number;
}

/** One exception with its match count and flags (any member, or a "read" token); another org's id is a 404. */
export async function getException(db: Db, ctx: OrgContext, id: string): Promise<ExceptionDetail> {
  requireReader(ctx);
  const row = await loadException(db, ctx.orgId, id);
  const [view, suppressedCount] = await Promise.all([
    toView(db, ctx.orgId, row),
    db.finding.count({ where: { orgId: ctx.orgId, status: "SUPPRESSED", exceptionId: row.id } }),
  ]);
  return { ...view, suppressedCount };
}
