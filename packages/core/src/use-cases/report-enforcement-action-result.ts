import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { findOwnPoint, RESULT_STATUSES, type ResponseActionView, resultSchema, toViews, VIEW_SELECT } from "../response/view.ts";

// The claiming enforcement point says how an action went (POST /api/v1/enforcement/actions/{id}/result).
// Only that point may answer; the same answer again is a no-op (an enforcer retrying after a timeout),
// a different one after the first is a conflict. A result for an action cancelled after it was claimed
// is still recorded: the enforcer may already have acted, and the record must say what happened.

const TERMINAL: ReadonlySet<string> = new Set(RESULT_STATUSES);

export async function reportEnforcementActionResult(db: Db, ctx: OrgContext, id: string, input: unknown): Promise<ResponseActionView> {
  const parsed = resultSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { status, message } = parsed.data;
  const point = await findOwnPoint(db, ctx, parsed.data.enforcementPoint);
  const row = await db.$transaction(async (tx) => {
    const action = await tx.enforcementAction.findFirst({ where: { id, orgId: ctx.orgId } });
    if (!action) throw AppError.notFound("Enforcement action");
    if (action.enforcementPointId !== point.id) throw new AppError("CONFLICT", "This action is not claimed by this enforcement point");
    if (action.status === status) return action;
    if (TERMINAL.has(action.status)) throw new AppError("CONFLICT", `This action was already reported as ${action.status}`);
    const now = new Date();
    const { count } = await tx.enforcementAction.updateMany({
      where: { id, orgId: ctx.orgId, status: action.status, enforcementPointId: point.id },
      data: { status, result: message ?? null, completedAt: now },
    });
    if (count === 0) throw new AppError("CONFLICT", "The action changed meanwhile; fetch it again");
    await writeAudit(tx, ctx, {
      action: "response.result",
      targetType: "enforcement-action",
      targetId: id,
      metadata: {
        status,
        message: message ?? null,
        enforcementPoint: point.name,
        policy: action.policyKey,
        action: action.action,
        namespace: action.namespace,
        kind: action.kind,
        name: action.name,
        pod: action.pod,
        afterCancel: action.status === "CANCELLED",
      },
    });
    return action;
  });
  const fresh = await db.enforcementAction.findFirstOrThrow({ where: { id: row.id, orgId: ctx.orgId }, select: VIEW_SELECT });
  return (await toViews(db, ctx.orgId, [fresh]))[0]!;
}
