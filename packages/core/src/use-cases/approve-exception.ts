import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { setFields, readStoredScope } from "../exceptions/scope.ts";
import { type ExceptionView, loadException, toView } from "../exceptions/view.ts";

export const exceptionDecisionSchema = z.strictObject({
  note: z.string().trim().max(2_000).optional().meta({ description: "Why. Rejections and revocations keep it as closeNote; every note is in the audit log" }),
});

/** Suppressing a million findings is one UPDATE, but not a fast one: more room than Prisma's 5 s default. */
export const EXCEPTION_TX = { maxWait: 10_000, timeout: 5 * 60_000 } as const;

export interface ApprovedException {
  exception: ExceptionView;
  /** Findings this approval suppressed. */
  suppressed: number;
}

/**
 * Approves a requested exception (ADMIN+, audited; an admin approving their own request is allowed and
 * recorded as selfApproved). Its OPEN findings are suppressed in the same transaction; a policy scope
 * reaches enforcement through the bundle, whose content hash changes with the approved exceptions.
 */
export async function approveException(db: Db, ctx: OrgContext, id: string, input: unknown = {}, now = new Date()): Promise<ApprovedException> {
  const actor = requireRole(ctx, "ADMIN");
  const parsed = exceptionDecisionSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const row = await loadException(db, ctx.orgId, id);
  if (row.status !== "REQUESTED") throw new AppError("CONFLICT", `This exception is ${row.status.toLowerCase()}; only requested exceptions can be approved`);
  if (row.expiresAt && row.expiresAt <= now) throw new AppError("CONFLICT", "This request expired before it was approved; request it again with a new expiry");
  const selfApproved = row.requestedById === actor.userId;
  const { updated, suppressed } = await db.$transaction(async (tx) => {
    // Conditional on the status read above, so two admins approving at once approve once.
    const won = await tx.exception.updateMany({
      where: { id: row.id, orgId: ctx.orgId, status: "REQUESTED" },
      data: { status: "APPROVED", approvedById: actor.userId, approvedAt: now },
    });
    if (won.count !== 1) throw new AppError("CONFLICT", "This exception was decided meanwhile; reload it");
    const suppressed = await applyExceptions(tx, ctx.orgId, undefined, { onlyIds: [row.id], now });
    await writeAudit(tx, ctx, {
      action: "exception.approved",
      targetType: "exception",
      targetId: row.id,
      metadata: { kind: row.kind, fields: setFields(readStoredScope(row.scope).scope), selfApproved, suppressed, note: parsed.data.note ?? null },
    });
    return { updated: await tx.exception.findUniqueOrThrow({ where: { id: row.id } }), suppressed };
  }, EXCEPTION_TX);
  return { exception: await toView(db, ctx.orgId, updated), suppressed };
}
