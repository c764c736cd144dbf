import { type Db } from "@bulwark/db";
import { type OrgContext, requireRole } from "../context.ts";
import { type NotificationChannelView, toChannelViews } from "../notifications/channel-view.ts";

/** The organization's channels by name, without secrets (ADMIN+: where alerts go is an admin's business). */
export async function listNotificationChannels(db: Db, ctx: OrgContext): Promise<NotificationChannelView[]> {
  requireRole(ctx, "ADMIN");
  const rows = await db.notificationChannel.findMany({ where: { orgId: ctx.orgId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  return toChannelViews(db, ctx.orgId, rows);
}
