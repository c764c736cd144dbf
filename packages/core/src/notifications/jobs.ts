import { type Queue } from "bullmq";
import { z } from "zod";
import { type JobDeps, defineJob, enqueue } from "../jobs/registry.ts";
import { DeliveryFailedError, deliverNotification } from "./deliver.ts";
import { claimAndRoute, unsentAlertDeliveries } from "./route-alerts.ts";
import { type NotificationSettings, notificationSettings } from "./settings.ts";

// The notification jobs. Ingest only enqueues notify.route; every outbound request happens in
// notify.deliver, one job per delivery with its own retries, so a slow or dead channel delays nothing
// but its own alerts.

export const MAX_CANDIDATES_PER_JOB = 1000;

const candidateSchema = z.strictObject({ findingId: z.string().min(1).max(100), reason: z.enum(["created", "reopened", "escalated"]) });

const settingsOf = (deps: JobDeps): NotificationSettings => notificationSettings(deps.notifications);

/** Delivery jobs carry the worker's retry policy, so only the worker enqueues them. */
export async function enqueueDelivery(queue: Queue, settings: NotificationSettings, deliveryId: string, jobId = `notify-deliver-${deliveryId}`): Promise<void> {
  await enqueue(queue, notifyDeliverJob, { deliveryId }, { jobId, attempts: settings.attempts, backoff: { type: "exponential", delay: settings.backoffMs } });
}

export const notifyRouteJob = defineJob({
  name: "notify.route",
  schema: z.strictObject({ orgId: z.string().min(1).max(100), candidates: z.array(candidateSchema).min(1).max(MAX_CANDIDATES_PER_JOB) }),
  async handle({ orgId, candidates }, deps) {
    const settings = settingsOf(deps);
    const outcome = await claimAndRoute(deps.db, orgId, candidates, settings.dashboardUrl);
    // Also picks up deliveries a previous run of this job committed but could not enqueue.
    const unsent = await unsentAlertDeliveries(deps.db, orgId, [...new Set(candidates.map((c) => c.findingId))]);
    for (const id of unsent) await enqueueDelivery(deps.queue, settings, id);
    return { ...outcome, enqueued: unsent.length };
  },
});

export const notifyDeliverJob = defineJob({
  name: "notify.deliver",
  schema: z.strictObject({ deliveryId: z.string().min(1).max(100) }),
  async handle({ deliveryId }, deps, job) {
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await deliverNotification(deps.db, settingsOf(deps), deliveryId, final, deps.logger);
    if (result.outcome === "retrying" || result.outcome === "dead") throw new DeliveryFailedError(result.error ?? "delivery failed");
    return result;
  },
});

/**
 * An admin's retry of a DEAD or RETRYING delivery (the row is already PENDING again). The web app
 * enqueues this job and the worker queues the delivery itself, with the worker's retry policy.
 * `retryKey` makes each retry's job ids unique, and this job idempotent.
 */
export const notifyRedeliverJob = defineJob({
  name: "notify.redeliver",
  schema: z.strictObject({ orgId: z.string().min(1).max(100), deliveryId: z.string().min(1).max(100), retryKey: z.string().min(1).max(40) }),
  async handle({ orgId, deliveryId, retryKey }, deps) {
    const row = await deps.db.notificationDelivery.findFirst({ where: { id: deliveryId, orgId }, select: { status: true } });
    if (!row || row.status !== "PENDING") return { enqueued: false };
    // The earlier job may still wait for its backoff; a retry replaces it (an active one is locked and stays).
    await deps.queue.remove(`notify-deliver-${deliveryId}`).catch(() => 0);
    await enqueueDelivery(deps.queue, settingsOf(deps), deliveryId, `notify-deliver-${deliveryId}-retry-${retryKey}`);
    return { enqueued: true };
  },
});

export const notificationJobs = [notifyRouteJob, notifyDeliverJob, notifyRedeliverJob];
