import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { type SavedViewDto } from "./create-saved-view.ts";

/** The caller's own views of `page` and the views shared in the organization (a token sees shared ones only). */
export async function listSavedViews(db: Db, ctx: OrgContext, page = "findings"): Promise<SavedViewDto[]> {
  requireReader(ctx);
  const userId = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const rows = await db.savedView.findMany({
    where: { orgId: ctx.orgId, page, OR: [{ shared: true }, ...(userId ? [{ userId }] : [])] },
    include: { user: { select: { email: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 500,
  });
  return rows.map((v) => ({ id: v.id, page: v.page, name: v.name, query: v.query, shared: v.shared, mine: v.userId === userId, owner: v.user.email, createdAt: v.createdAt }));
}
