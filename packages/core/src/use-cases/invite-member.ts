import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { generateSecret, sha256Hex } from "../crypto/tokens.ts";
import { hasRole, ROLES } from "../roles.ts";

export const INVITATION_TTL_DAYS = 7;

export const inviteMemberSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  role: z.enum(ROLES),
});

export interface CreatedInvitation {
  id: string;
  email: string;
  role: string;
  expiresAt: Date;
  /** Secret for the accept link; shown once to the inviting admin (Bulwark sends no email yet). */
  token: string;
}

export async function inviteMember(db: Db, ctx: OrgContext, input: unknown): Promise<CreatedInvitation> {
  const actor = requireRole(ctx, "ADMIN");
  const parsed = inviteMemberSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { email, role } = parsed.data;
  if (role === "OWNER" && !hasRole(actor.role, "OWNER")) throw AppError.forbidden("Only an owner can invite another owner");

  const existing = await db.membership.findFirst({ where: { orgId: ctx.orgId, user: { email } } });
  if (existing) throw new AppError("CONFLICT", `${email} is already a member`);

  const token = generateSecret("bwi_");
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
  return db.$transaction(async (tx) => {
    // A new invitation for the same address replaces any pending one.
    await tx.invitation.updateMany({
      where: { orgId: ctx.orgId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const inv = await tx.invitation.create({
      data: { orgId: ctx.orgId, email, role, tokenHash: sha256Hex(token), invitedById: actor.userId, expiresAt },
    });
    await writeAudit(tx, ctx, { action: "member.invited", targetType: "invitation", targetId: inv.id, metadata: { email, role } });
    return { id: inv.id, email, role, expiresAt, token };
  });
}
