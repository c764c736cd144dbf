import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { AppError } from "../errors.ts";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../crypto/passwords.ts";
import { sha256Hex } from "../crypto/tokens.ts";

export const acceptInvitationSchema = z.object({
  token: z.string().min(10).max(200),
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(1024).optional(),
});

export interface InvitationPreview {
  email: string;
  orgName: string;
  role: string;
  userExists: boolean;
}

async function findValid(db: Db, token: string) {
  const inv = await db.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: true } });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date()) {
    throw new AppError("NOT_FOUND", "This invitation is invalid or has expired");
  }
  return inv;
}

export async function previewInvitation(db: Db, token: string): Promise<InvitationPreview> {
  const inv = await findValid(db, token);
  const user = await db.user.findUnique({ where: { email: inv.email }, select: { passwordHash: true } });
  return { email: inv.email, orgName: inv.org.name, role: inv.role, userExists: Boolean(user?.passwordHash) };
}

/**
 * Accepting creates the account when the address has none (a password is then required) and adds the
 * membership. An existing account keeps its password: the invitation link alone must not reset it.
 */
export async function acceptInvitation(db: Db, input: unknown): Promise<{ userId: string; orgId: string; email: string }> {
  const parsed = acceptInvitationSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const inv = await findValid(db, parsed.data.token);
  const existing = await db.user.findUnique({ where: { email: inv.email } });
  const needsPassword = !existing?.passwordHash;
  if (needsPassword && !parsed.data.password) {
    throw new AppError("VALIDATION_FAILED", "Choose a password", { fields: [{ path: "password", message: "Required" }] });
  }
  const passwordHash = needsPassword && parsed.data.password ? await hashPassword(parsed.data.password) : null;

  return db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new AppError("NOT_FOUND", "This invitation is invalid or has expired");
    const user = existing
      ? passwordHash
        ? await tx.user.update({ where: { id: existing.id }, data: { passwordHash, name: parsed.data.name ?? existing.name } })
        : existing
      : await tx.user.create({ data: { email: inv.email, name: parsed.data.name ?? null, passwordHash } });
    const membership = await tx.membership.upsert({
      where: { orgId_userId: { orgId: inv.orgId, userId: user.id } },
      create: { orgId: inv.orgId, userId: user.id, role: inv.role },
      update: {},
    });
    await writeAudit(
      tx,
      { orgId: inv.orgId, actor: { type: "user", userId: user.id, email: user.email, role: membership.role } },
      { action: "member.joined", targetType: "membership", targetId: membership.id, metadata: { email: user.email, role: membership.role, invitationId: inv.id } },
    );
    return { userId: user.id, orgId: inv.orgId, email: user.email };
  });
}
