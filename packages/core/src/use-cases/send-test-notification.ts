import { type Db, type Prisma } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { ChannelSecretsError } from "../notifications/channel-secrets.ts";
import { sendable } from "../notifications/channel-view.ts";
import { testPayload } from "../notifications/payload.ts";
import { sendToChannel, type SendResult } from "../notifications/send.ts";
import { DEFAULT_NOTIFICATION_SETTINGS } from "../notifications/settings.ts";

export interface TestSendSettings {
  keySecret: string;
  dashboardUrl: string | null;
  timeoutMs?: number;
}

export interface TestSendResult {
  deliveryId: string;
  status: "DELIVERED" | "DEAD";
  responseStatus: number | null;
  error: string | null;
}

/**
 * Sends a test alert now, through the same sender a queued delivery uses, and records it in the delivery
 * log as kind "test" (ADMIN+, audited). One attempt, no retries: the admin sees the outcome at once.
 * Works on a disabled channel, so it can be checked before it goes live.
 */
export async function sendTestNotification(db: Db, ctx: OrgContext, id: string, settings: TestSendSettings): Promise<TestSendResult> {
  requireRole(ctx, "ADMIN");
  const channel = await db.notificationChannel.findFirst({ where: { id, orgId: ctx.orgId }, include: { org: { select: { slug: true, name: true } } } });
  if (!channel) throw AppError.notFound("Notification channel");
  const payload = testPayload(channel.org, settings.dashboardUrl, new Date());
  const delivery = await db.notificationDelivery.create({
    data: { orgId: ctx.orgId, channelId: channel.id, kind: "test", reason: "test", payload: payload as unknown as Prisma.InputJsonValue },
    select: { id: true },
  });
  let result: SendResult;
  try {
    result = await sendToChannel(sendable(channel, settings.keySecret), payload, delivery.id, { timeoutMs: settings.timeoutMs ?? DEFAULT_NOTIFICATION_SETTINGS.timeoutMs });
  } catch (err) {
    if (!(err instanceof ChannelSecretsError)) throw err;
    result = { ok: false, status: null, error: err.message };
  }
  const status = result.ok ? "DELIVERED" : "DEAD";
  await db.$transaction(async (tx) => {
    await tx.notificationDelivery.update({
      where: { id: delivery.id },
      data: { status, attempts: 1, responseStatus: result.status, lastError: result.error, deliveredAt: result.ok ? new Date() : null },
    });
    await writeAudit(tx, ctx, { action: "notification_channel.tested", targetType: "notification_channel", targetId: channel.id, metadata: { name: channel.name, deliveryId: delivery.id, status, responseStatus: result.status } });
  });
  return { deliveryId: delivery.id, status, responseStatus: result.status, error: result.error };
}
