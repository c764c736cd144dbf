import { type Db, type DbTx } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { hasRole, ROLES } from "../roles.ts";

export const changeMemberRoleSchema = z.object({ role: z.enum(ROLES) });

export async function assertNotLastOwner(tx: DbTx, orgId: string, membershipId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { orgId, role: "OWNER", id: { not: membershipId } } });
  if (owners === 0) throw new AppError("CONFLICT", "An organization needs at least one owner");
}

export async function changeMemberRole(db: Db, ctx: OrgContext, membershipId: string, input: unknown) {
  const actor = requireRole(ctx, "ADMIN");
  const parsed = changeMemberRoleSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { role } = parsed.data;
  return db.$transaction(async (tx) => {
    const m = await tx.membership.findFirst({ where: { id: membershipId, orgId: ctx.orgId }, include: { user: { select: { email: true } } } });
    if (!m) throw AppError.notFound("Member");
    // Only owners may touch owner rights, in either direction.
    if ((m.role === "OWNER" || role === "OWNER") && !hasRole(actor.role, "OWNER")) {
      throw AppError.forbidden("Only an owner can grant or remove the owner role");
    }
    if (m.role === role) return { membershipId: m.id, role };
    if (m.role === "OWNER") await assertNotLastOwner(tx, ctx.orgId, m.id);
    await tx.membership.update({ where: { id: m.id }, data: { role } });
    await writeAudit(tx, ctx, { action: "member.role_changed", targetType: "membership", targetId: m.id, metadata: { email: m.user.email, from: m.role, to: role } });
    return { membershipId: m.id, role };
  });
}
