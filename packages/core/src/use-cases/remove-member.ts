import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { hasRole } from "../roles.ts";
import { assertNotLastOwner } from "./change-member-role.ts";

export async function removeMember(db: Db, ctx: OrgContext, membershipId: string) {
  const actor = requireRole(ctx, "ADMIN");
  return db.$transaction(async (tx) => {
    const m = await tx.membership.findFirst({ where: { id: membershipId, orgId: ctx.orgId }, include: { user: { select: { email: true } } } });
    if (!m) throw AppError.notFound("Member");
    if (m.role === "OWNER" && !hasRole(actor.role, "OWNER")) throw AppError.forbidden("Only an owner can remove an owner");
    if (m.role === "OWNER") await assertNotLastOwner(tx, ctx.orgId, m.id);
    await tx.membership.delete({ where: { id: m.id } });
    await writeAudit(tx, ctx, { action: "member.removed", targetType: "membership", targetId: m.id, metadata: { email: m.user.email, role: m.role } });
    return { membershipId: m.id };
  });
}
