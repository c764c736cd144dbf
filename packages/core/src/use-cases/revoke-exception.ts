import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { releaseException } from "../exceptions/apply.ts";
import { type ExceptionView, loadException, toView } from "../exceptions/view.ts";
import { hasRole } from "../roles.ts";
import { EXCEPTION_TX, exceptionDecisionSchema } from "./approve-exception.ts";

export interface RevokedException {
  exception: ExceptionView;
  /** Findings it had suppressed that are OPEN again (others moved to another exception that covers them). */
  reopened: number;
  reapplied: number;
}

/**
 * Ends an exception (audited): an APPROVED one needs ADMIN+ and reopens what it suppressed, unless
 * another exception still covers it; a REQUESTED one may be withdrawn by its requester (admins reject
 * requests instead). Revoking an approved exception also drops it from the next enforcement bundle.
 */
export async function revokeException(db: Db, ctx: OrgContext, id: string, input: unknown = {}, now = new Date()): Promise<RevokedException> {
  const actor = requireRole(ctx, "VIEWER");
  const parsed = exceptionDecisionSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const row = await loadException(db, ctx.orgId, id);
  const withdrawn = row.status === "REQUESTED";
  if (withdrawn && row.requestedById !== actor.userId) throw AppError.forbidden("Only its requester can withdraw a request; admins reject it");
  if (row.status === "APPROVED" && !hasRole(actor.role, "ADMIN")) throw AppError.forbidden("Revoking an approved exception needs the ADMIN role or higher");
  if (row.status !== "REQUESTED" && row.status !== "APPROVED") throw new AppError("CONFLICT", `This exception is already ${row.status.toLowerCase()}`);
  const note = parsed.data.note || null;
  const { updated, released } = await db.$transaction(async (tx) => {
    const won = await tx.exception.updateMany({
      where: { id: row.id, orgId: ctx.orgId, status: row.status },
      data: { status: "REVOKED", closedById: actor.userId, closedAt: now, closeNote: note },
    });
    if (won.count !== 1) throw new AppError("CONFLICT", "This exception changed meanwhile; reload it");
    const released = withdrawn ? { released: 0, reapplied: 0, reopened: 0 } : await releaseException(tx, ctx.orgId, row.id, { now });
    await writeAudit(tx, ctx, {
      action: withdrawn ? "exception.withdrawn" : "exception.revoked",
      targetType: "exception",
      targetId: row.id,
      metadata: { kind: row.kind, note, ...released },
    });
    return { updated: await tx.exception.findUniqueOrThrow({ where: { id: row.id } }), released };
  }, EXCEPTION_TX);
  return { exception: await toView(db, ctx.orgId, updated), reopened: released.reopened, reapplied: released.reapplied };
}
