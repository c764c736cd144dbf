import { randomBytes } from "node:crypto";
import { type Queue } from "bullmq";
import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { enqueue } from "../jobs/registry.ts";
import { DELIVERY_SELECT, type NotificationDeliveryView, toDeliveryView } from "../notifications/delivery-view.ts";
import { notifyRedeliverJob } from "../notifications/jobs.ts";

/**
 * Sends a DEAD (or still RETRYING) alert delivery again (ADMIN+, audited): the row goes back to PENDING
 * and the worker queues it with its usual retries. `queue` null (Redis unreachable) refuses before
 * anything changes, so a delivery is never PENDING without a job.
 */
export async function retryNotificationDelivery(db: Db, queue: Queue | null, ctx: OrgContext, id: string): Promise<NotificationDeliveryView> {
  requireRole(ctx, "ADMIN");
  const row = await db.notificationDelivery.findFirst({ where: { id, orgId: ctx.orgId }, select: { id: true, status: true, kind: true, channelId: true } });
  if (!row) throw AppError.notFound("Delivery");
  if (row.kind !== "alert") throw new AppError("CONFLICT", "Test sends are not retried; send another test");
  if (row.status !== "DEAD" && row.status !== "RETRYING") throw new AppError("CONFLICT", `Only dead or retrying deliveries can be retried; this one is ${row.status.toLowerCase()}`);
  if (!queue) throw new AppError("UNAVAILABLE", "The job queue is unreachable; try again in a moment");

  const retryKey = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  await db.$transaction(async (tx) => {
    const moved = await tx.notificationDelivery.updateMany({ where: { id: row.id, status: row.status }, data: { status: "PENDING" } });
    if (moved.count !== 1) throw new AppError("CONFLICT", "The delivery changed meanwhile; reload and try again");
    await writeAudit(tx, ctx, { action: "notification_delivery.retried", targetType: "notification_delivery", targetId: row.id, metadata: { channelId: row.channelId, from: row.status } });
  });
  try {
    await enqueue(queue, notifyRedeliverJob, { orgId: ctx.orgId, deliveryId: row.id, retryKey }, { jobId: `notify-redeliver-${row.id}-${retryKey}` });
  } catch (err) {
    // Back to where it was, so the log does not show a retry that will never run.
    await db.notificationDelivery.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: row.status } });
    throw new AppError("UNAVAILABLE", "The job queue is unreachable; try again in a moment", { cause: err });
  }
  return toDeliveryView(await db.notificationDelivery.findUniqueOrThrow({ where: { id: row.id }, select: DELIVERY_SELECT }));
}
