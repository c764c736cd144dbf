import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { type BaselineView, loadBaseline, toBaselineView } from "../runtime/baseline-view.ts";

/** One process baseline (any member, or a "read" token); another organization's id is a 404. */
export async function getProcessBaseline(db: Db, ctx: OrgContext, id: string): Promise<BaselineView> {
  requireReader(ctx);
  return toBaselineView(db, ctx.orgId, await loadBaseline(db, ctx.orgId, id));
}
