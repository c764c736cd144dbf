import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";

/** Deletes a channel and its delivery log (ADMIN+, audited); queued deliveries of it find nothing to send. */
export async function deleteNotificationChannel(db: Db, ctx: OrgContext, id: string): Promise<void> {
  requireRole(ctx, "ADMIN");
  await db.$transaction(async (tx) => {
    const row = await tx.notificationChannel.findFirst({ where: { id, orgId: ctx.orgId }, select: { id: true, name: true, type: true } });
    if (!row) throw AppError.notFound("Notification channel");
    await tx.notificationChannel.delete({ where: { id: row.id } });
    await writeAudit(tx, ctx, { action: "notification_channel.deleted", targetType: "notification_channel", targetId: row.id, metadata: { name: row.name, type: row.type } });
  });
}
