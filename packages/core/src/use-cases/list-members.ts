import { type Db, type Role } from "@bulwark/db";
import { type OrgContext, requireRole } from "../context.ts";

export interface MemberRow {
  membershipId: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
  lastLoginAt: Date | null;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  createdAt: Date;
}

export async function listMembers(db: Db, ctx: OrgContext): Promise<{ members: MemberRow[]; invitations: PendingInvitation[] }> {
  requireRole(ctx, "VIEWER");
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { orgId: ctx.orgId },
      include: { user: { select: { email: true, name: true, lastLoginAt: true } } },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    }),
    db.invitation.findMany({
      where: { orgId: ctx.orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  return {
    members: members.map((m) => ({
      membershipId: m.id,
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      joinedAt: m.createdAt,
      lastLoginAt: m.user.lastLoginAt,
    })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt, createdAt: i.createdAt })),
  };
}
