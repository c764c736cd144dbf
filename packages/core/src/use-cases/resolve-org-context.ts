import { type Db, type Role } from "@bulwark/db";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";

export interface UserOrg {
  orgId: string;
  slug: string;
  name: string;
  role: Role;
}

export async function listUserOrgs(db: Db, userId: string): Promise<UserOrg[]> {
  const rows = await db.membership.findMany({
    where: { userId, user: { disabled: false } },
    include: { org: { select: { slug: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ orgId: m.orgId, slug: m.org.slug, name: m.org.name, role: m.role }));
}

/**
 * The organization a signed-in user acts in: the preferred one (from the org switcher) when they are
 * a member of it, else their first membership. Roles are read fresh on every request, so a role change
 * or removal takes effect at once, whatever the session cookie says.
 */
export async function resolveOrgContext(
  db: Db,
  user: { id: string },
  preferredOrgId?: string | null,
  ip?: string | null,
): Promise<{ ctx: OrgContext; orgs: UserOrg[]; current: UserOrg }> {
  const dbUser = await db.user.findUnique({ where: { id: user.id }, select: { id: true, email: true, disabled: true } });
  if (!dbUser || dbUser.disabled) throw new AppError("UNAUTHENTICATED", "Your session is no longer valid");
  const orgs = await listUserOrgs(db, user.id);
  const current = orgs.find((o) => o.orgId === preferredOrgId) ?? orgs[0];
  if (!current) throw new AppError("FORBIDDEN", "You are not a member of any organization");
  return {
    orgs,
    current,
    ctx: {
      orgId: current.orgId,
      ip: ip ?? null,
      actor: { type: "user", userId: dbUser.id, email: dbUser.email, role: current.role },
    },
  };
}
