import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { type ExceptionView, loadException, toView } from "../exceptions/view.ts";
import { exceptionDecisionSchema } from "./approve-exception.ts";

/** Turns a request down (ADMIN+, audited, with an optional note kept as closeNote). Nothing was suppressed, so nothing reopens. */
export async function rejectException(db: Db, ctx: OrgContext, id: string, input: unknown = {}, now = new Date()): Promise<ExceptionView> {
  const actor = requireRole(ctx, "ADMIN");
  const parsed = exceptionDecisionSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const row = await loadException(db, ctx.orgId, id);
  if (row.status !== "REQUESTED") throw new AppError("CONFLICT", `This exception is ${row.status.toLowerCase()}; only requested exceptions can be rejected`);
  const note = parsed.data.note || null;
  const updated = await db.$transaction(async (tx) => {
    const won = await tx.exception.updateMany({
      where: { id: row.id, orgId: ctx.orgId, status: "REQUESTED" },
      data: { status: "REJECTED", closedById: actor.userId, closedAt: now, closeNote: note },
    });
    if (won.count !== 1) throw new AppError("CONFLICT", "This exception was decided meanwhile; reload it");
    await writeAudit(tx, ctx, { action: "exception.rejected", targetType: "exception", targetId: row.id, metadata: { kind: row.kind, note } });
    return tx.exception.findUniqueOrThrow({ where: { id: row.id } });
  });
  return toView(db, ctx.orgId, updated);
}
