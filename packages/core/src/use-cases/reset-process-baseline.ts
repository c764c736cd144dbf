import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { type BaselineView, loadBaseline, toBaselineView } from "../runtime/baseline-view.ts";

/**
 * Starts a baseline's learning over (ADMIN+, audited): no processes, LEARNING until now + the
 * organization's learning window. Open anomaly findings stay open: they record what ran while the old
 * baseline was in force, and closing them silently could hide an intrusion (resolve them, or add the
 * process, once judged).
 */
export async function resetProcessBaseline(db: Db, ctx: OrgContext, id: string, now = new Date()): Promise<BaselineView> {
  requireRole(ctx, "ADMIN");
  return db.$transaction(async (tx) => {
    const row = await loadBaseline(tx, ctx.orgId, id);
    const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { baselineLearningMinutes: true } });
    const learningEndsAt = new Date(now.getTime() + org.baselineLearningMinutes * 60_000);
    await tx.processBaseline.update({
      where: { id: row.id },
      data: { status: "LEARNING", processes: [], learningEndsAt, lockedAt: null, lockedById: null },
    });
    await writeAudit(tx, ctx, {
      action: "baseline.reset",
      targetType: "process_baseline",
      targetId: row.id,
      metadata: { workloadId: row.workload.id, container: row.container, from: row.status, processes: row.processes.length, learningEndsAt: learningEndsAt.toISOString() },
    });
    return toBaselineView(tx, ctx.orgId, await loadBaseline(tx, ctx.orgId, row.id));
  });
}
