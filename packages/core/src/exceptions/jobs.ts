import { z } from "zod";
import { defineJob } from "../jobs/registry.ts";
import { enqueueAlerts } from "../notifications/queue-alerts.ts";
import { expireExceptions } from "../use-cases/expire-exceptions.ts";

/**
 * Expires exceptions past their expiresAt (reopening their findings). Idempotent; meant to be
 * scheduled every few minutes by the worker, as the lead wires it into jobRegistry.
 */
export const exceptionsExpireJob = defineJob({
  name: "exceptions.expire",
  schema: z.object({}).strict(),
  async handle(_payload, { db, logger, queue }) {
    const { alerts, ...result } = await expireExceptions(db);
    if (result.expired > 0) logger.info(result, "expired exceptions");
    // What a suppression silenced is news again once it lapses: runtime findings and violations alert.
    for (const [orgId, ids] of alerts) await enqueueAlerts(queue, orgId, ids.map((findingId) => ({ findingId, reason: "reopened" as const })));
    return result;
  },
  // A missed run is replaced by the next one; retrying it would only pile up.
  defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
