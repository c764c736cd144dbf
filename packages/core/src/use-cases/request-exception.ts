import { type Db, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { exceptionScopeSchema, setFields } from "../exceptions/scope.ts";
import { type ExceptionView, type ExceptionWarning, toView, warningsOf } from "../exceptions/view.ts";

/** An exception lasts at most a year: risk accepted "forever" is risk nobody looks at again. */
export const MAX_EXCEPTION_DAYS = 365;
export const MAX_EXCEPTION_REASON = 2_000;
const DAY_MS = 24 * 3600 * 1000;

export const requestExceptionSchema = z.strictObject({
  kind: z.enum(["RISK_ACCEPTED", "FALSE_POSITIVE"]).meta({ description: "RISK_ACCEPTED: real, accepted for a reason; FALSE_POSITIVE: the finding is wrong" }),
  scope: exceptionScopeSchema,
  reason: z.string().trim().min(1, "Give the justification").max(MAX_EXCEPTION_REASON).meta({ description: "Justification, shown to approvers and in the audit log" }),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: `When it stops applying (its findings reopen); in the future, at most ${MAX_EXCEPTION_DAYS} days ahead. Omit for no expiry.`, example: "2027-03-01T00:00:00Z" }),
});

export type RequestExceptionInput = z.input<typeof requestExceptionSchema>;

export interface RequestedException {
  exception: ExceptionView;
  /** Findings the scope matches now (what approval would suppress, plus any already suppressed by another exception). */
  matchCount: number;
  warnings: ExceptionWarning[];
  notes: string[];
}

/** Asks for an exception (ANALYST+, audited). Nothing is suppressed until an admin approves it. */
export async function requestException(db: Db, ctx: OrgContext, input: unknown, now = new Date()): Promise<RequestedException> {
  const actor = requireRole(ctx, "ANALYST");
  const parsed = requestExceptionSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { kind, scope, reason } = parsed.data;
  const expiresAt = parsed.data.expiresAt !== undefined ? new Date(parsed.data.expiresAt) : null;
  if (expiresAt && expiresAt <= now) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "expiresAt", message: "Must be in the future" }] });
  if (expiresAt && expiresAt.getTime() > now.getTime() + MAX_EXCEPTION_DAYS * DAY_MS) {
    throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "expiresAt", message: `At most ${MAX_EXCEPTION_DAYS} days ahead` }] });
  }
  const row = await db.$transaction(async (tx) => {
    const created = await tx.exception.create({
      data: { orgId: ctx.orgId, kind, scope: scope as Prisma.InputJsonValue, reason, expiresAt, requestedById: actor.userId, status: "REQUESTED" },
    });
    await writeAudit(tx, ctx, {
      action: "exception.requested",
      targetType: "exception",
      targetId: created.id,
      metadata: { kind, scope: scope as Prisma.InputJsonValue, fields: setFields(scope), expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  const exception = await toView(db, ctx.orgId, row);
  return { exception, matchCount: exception.matchCount, warnings: warningsOf(exception.matchCount), notes: exception.notes };
}
