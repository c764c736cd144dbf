import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { type BaselineView, loadBaseline, toBaselineView } from "../runtime/baseline-view.ts";

/**
 * Ends a baseline's learning now (ADMIN+, audited): from here on a process outside it raises an anomaly.
 * Locking a locked baseline changes nothing and writes no audit row. The update is conditional on
 * LEARNING, so a lock racing ingestion's own lock (window ran out) keeps whichever came first.
 */
export async function lockProcessBaseline(db: Db, ctx: OrgContext, id: string, now = new Date()): Promise<BaselineView> {
  const actor = requireRole(ctx, "ADMIN");
  return db.$transaction(async (tx) => {
    const row = await loadBaseline(tx, ctx.orgId, id);
    const won = await tx.processBaseline.updateMany({
      where: { id: row.id, orgId: ctx.orgId, status: "LEARNING" },
      data: { status: "LOCKED", lockedAt: now, lockedById: actor.userId },
    });
    if (won.count === 1) {
      await writeAudit(tx, ctx, {
        action: "baseline.locked",
        targetType: "process_baseline",
        targetId: row.id,
        metadata: { workloadId: row.workload.id, container: row.container, processes: row.processes.length },
      });
    }
    return toBaselineView(tx, ctx.orgId, await loadBaseline(tx, ctx.orgId, row.id));
  });
}
