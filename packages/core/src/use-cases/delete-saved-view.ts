import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { hasRole } from "../roles.ts";

/**
 * Deletes a saved view: your own, or (ADMIN+) a view someone shared with the organization. Another
 * member's private view, or another organization's, is a 404. Deleting a shared view is audited.
 */
export async function deleteSavedView(db: Db, ctx: OrgContext, id: string): Promise<{ id: string; deleted: true }> {
  const actor = requireRole(ctx, "VIEWER");
  const view = await db.savedView.findFirst({ where: { id, orgId: ctx.orgId } });
  if (!view || (view.userId !== actor.userId && !view.shared)) throw AppError.notFound("Saved view");
  if (view.userId !== actor.userId && !hasRole(actor.role, "ADMIN")) throw AppError.forbidden("Only its owner or an admin can delete a shared view");
  await db.$transaction(async (tx) => {
    await tx.savedView.delete({ where: { id: view.id } });
    if (view.shared) await writeAudit(tx, ctx, { action: "saved-view.deleted", targetType: "saved-view", targetId: view.id, metadata: { page: view.page, name: view.name } });
  });
  return { id: view.id, deleted: true };
}
