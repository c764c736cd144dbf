import { type Db } from "@bulwark/db";
import { sendable } from "./channel-view.ts";
import { ChannelSecretsError } from "./channel-secrets.ts";
import { readPayload } from "./payload.ts";
import { redact, sendToChannel, type SendResult } from "./send.ts";
import { type NotificationSettings } from "./settings.ts";

// notify.deliver: one attempt at one delivery. The row is the record of truth: attempts, the last error
// and the HTTP/SMTP status are written after every attempt; BullMQ only schedules the next one.

export type DeliverOutcome = "delivered" | "retrying" | "dead" | "skipped";

export interface DeliverResult {
  outcome: DeliverOutcome;
  status?: number | null;
  error?: string | null;
}

/** Thrown for a failed attempt that BullMQ should retry (or record as failed on the last attempt). */
export class DeliveryFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryFailedError";
  }
}

async function fail(db: Db, id: string, result: SendResult, final: boolean): Promise<DeliverResult> {
  await db.notificationDelivery.updateMany({
    where: { id, status: { not: "DELIVERED" } },
    data: { attempts: { increment: 1 }, lastError: result.error ?? "failed", responseStatus: result.status, status: final ? "DEAD" : "RETRYING" },
  });
  return { outcome: final ? "dead" : "retrying", status: result.status, error: result.error };
}

/** `final`: this is the job's last attempt, so a failure leaves the delivery DEAD (the dead-letter state). */
export async function deliverNotification(
  db: Db,
  settings: NotificationSettings,
  deliveryId: string,
  final: boolean,
  log?: { warn(obj: object, msg: string): void },
): Promise<DeliverResult> {
  const row = await db.notificationDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, status: true, payload: true, channel: { select: { id: true, type: true, config: true, secrets: true, enabled: true } } },
  });
  // Gone (channel deleted) or settled: a duplicate or late job has nothing to do.
  if (!row || row.status === "DELIVERED" || row.status === "DEAD") return { outcome: "skipped" };
  if (!row.channel.enabled) return fail(db, row.id, { ok: false, status: null, error: "The channel was disabled before delivery" }, true);
  const payload = readPayload(row.payload);
  if (!payload) return fail(db, row.id, { ok: false, status: null, error: "The stored alert cannot be read" }, true);

  let result: SendResult;
  try {
    result = await sendToChannel(sendable(row.channel, settings.keySecret), payload, row.id, { timeoutMs: settings.timeoutMs });
  } catch (err) {
    // Unreadable secrets may be fixed by configuring the right key secret, so they count as a failed attempt.
    if (!(err instanceof ChannelSecretsError)) log?.warn({ err, deliveryId }, "notification send failed unexpectedly");
    const message = err instanceof ChannelSecretsError ? err.message : "Sending failed unexpectedly";
    result = { ok: false, status: null, error: redact(message, { password: null }) };
  }
  if (!result.ok) return fail(db, row.id, result, final);
  await db.notificationDelivery.updateMany({
    where: { id: row.id, status: { not: "DELIVERED" } },
    data: { status: "DELIVERED", attempts: { increment: 1 }, responseStatus: result.status, deliveredAt: new Date(), lastError: null },
  });
  return { outcome: "delivered", status: result.status };
}
