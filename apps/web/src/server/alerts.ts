import { type AlertCandidate, enqueueAlerts } from "@bulwark/core";
import { logger } from "./logger.ts";
import { queue } from "./queue.ts";

// Admission decisions that open or reopen a violation finding hand it to the worker's notify.route.
// In the background: an admission review must never wait on Redis, let alone on a channel. A lost
// enqueue (Redis unreachable) loses that alert, never the decision or the finding.

export function queueAlertsInBackground(orgId: string, alerts: AlertCandidate[]): void {
  if (alerts.length === 0) return;
  void (async () => {
    const q = await queue();
    if (!q) {
      logger().warn({ orgId, alerts: alerts.length }, "alerts not queued: job queue unreachable");
      return;
    }
    await enqueueAlerts(q, orgId, alerts);
  })().catch((err: unknown) => logger().warn({ err, orgId }, "alerts not queued"));
}
