import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";

export interface AllowedDeployerView {
  id: string;
  /** A namespace name, or "*" for every namespace. */
  namespace: string;
  subject: string;
  note: string | null;
  createdAt: Date;
  createdBy: { email: string } | null;
}

/** The organization's allowed deployers (any member, or a token with `policy:read`), by namespace then subject. */
export async function listAllowedDeployers(db: Db, ctx: OrgContext): Promise<AllowedDeployerView[]> {
  requireReader(ctx, "policy:read");
  const rows = await db.allowedDeployer.findMany({ where: { orgId: ctx.orgId }, orderBy: [{ namespace: "asc" }, { subject: "asc" }] });
  const authorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const authors = authorIds.length > 0 ? await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, email: true } }) : [];
  const emailOf = new Map(authors.map((a) => [a.id, a.email]));
  return rows.map((r) => {
    const email = r.createdById ? emailOf.get(r.createdById) : undefined;
    return { id: r.id, namespace: r.namespace, subject: r.subject, note: r.note, createdAt: r.createdAt, createdBy: email ? { email } : null };
  });
}
