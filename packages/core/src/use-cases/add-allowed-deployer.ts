import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { type AllowedDeployerView } from "./list-allowed-deployers.ts";

// Subjects as the API server names them in AdmissionReview userInfo: a user, a service account
// (system:serviceaccount:<namespace>:<name>), or a group written group:<name>.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const allowedDeployerInputSchema = z.strictObject({
  namespace: z
    .string()
    .trim()
    .max(63)
    .refine((n) => n === "*" || DNS_LABEL.test(n), { message: 'Use a namespace name (lowercase letters, digits and "-") or "*" for every namespace' }),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .refine((s) => !/\s/.test(s), { message: "Must not contain spaces" })
    .refine((s) => !s.startsWith("group:") || s.length > 6, { message: "Name the group after group:" })
    .refine((s) => !s.startsWith("system:serviceaccount:") || /^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/.test(s), {
      message: "Write service accounts as system:serviceaccount:<namespace>:<name>",
    }),
  note: z.string().trim().max(500).optional(),
});

export type AllowedDeployerInput = z.input<typeof allowedDeployerInputSchema>;

/** Allows a subject to deploy into a namespace (ADMIN+, audited); the next bundle carries it. */
export async function addAllowedDeployer(db: Db, ctx: OrgContext, input: unknown): Promise<AllowedDeployerView> {
  const actor = requireRole(ctx, "ADMIN");
  const parsed = allowedDeployerInputSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { namespace, subject, note } = parsed.data;
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.allowedDeployer.create({ data: { orgId: ctx.orgId, namespace, subject, note: note || null, createdById: actor.userId } });
      await writeAudit(tx, ctx, { action: "allowed_deployer.added", targetType: "allowed_deployer", targetId: row.id, metadata: { namespace, subject } });
      const author = await tx.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
      return { id: row.id, namespace, subject, note: row.note, createdAt: row.createdAt, createdBy: author ? { email: author.email } : null };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `${subject} is already allowed to deploy into ${namespace === "*" ? "every namespace" : namespace}`);
    throw err;
  }
}
