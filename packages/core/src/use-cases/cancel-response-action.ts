import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { actorLabel, type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { type ResponseActionView, toViews, VIEW_SELECT } from "../response/view.ts";

// An admin stops a response action that has not run yet (POST /api/v1/response-actions/{id}/cancel).
// A claimed action may already be executing in the cluster: cancelling it keeps its point from being
// offered it again, and a result it still reports is recorded (report-enforcement-action-result.ts).

export async function cancelResponseAction(db: Db, ctx: OrgContext, id: string): Promise<ResponseActionView> {
  const actor = requireRole(ctx, "ADMIN");
  await db.$transaction(async (tx) => {
    const action = await tx.enforcementAction.findFirst({ where: { id, orgId: ctx.orgId }, select: { id: true, status: true, policyKey: true, action: true, namespace: true, kind: true, name: true, pod: true } });
    if (!action) throw AppError.notFound("Response action");
    if (action.status !== "PENDING" && action.status !== "CLAIMED") throw new AppError("CONFLICT", `This action is already ${action.status.toLowerCase()}`);
    const { count } = await tx.enforcementAction.updateMany({
      where: { id, orgId: ctx.orgId, status: action.status },
      data: { status: "CANCELLED", completedAt: new Date(), result: `Cancelled by ${actorLabel(actor)}` },
    });
    if (count === 0) throw new AppError("CONFLICT", "The action changed meanwhile; reload and try again");
    await writeAudit(tx, ctx, {
      action: "response.cancel",
      targetType: "enforcement-action",
      targetId: id,
      metadata: { wasStatus: action.status, policy: action.policyKey, action: action.action, namespace: action.namespace, kind: action.kind, name: action.name, pod: action.pod },
    });
  });
  const row = await db.enforcementAction.findFirstOrThrow({ where: { id, orgId: ctx.orgId }, select: VIEW_SELECT });
  return (await toViews(db, ctx.orgId, [row]))[0]!;
}
