import { type Db } from "@bulwark/db";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { type NotificationChannelView, toChannelViews } from "../notifications/channel-view.ts";

/** One channel without its secrets (ADMIN+). Another organization's channel is a 404. */
export async function getNotificationChannel(db: Db, ctx: OrgContext, id: string): Promise<NotificationChannelView> {
  requireRole(ctx, "ADMIN");
  const row = await db.notificationChannel.findFirst({ where: { id, orgId: ctx.orgId } });
  if (!row) throw AppError.notFound("Notification channel");
  const [view] = await toChannelViews(db, ctx.orgId, [row]);
  return view!;
}
