import { z } from "zod";
import { defineJob } from "../jobs/registry.ts";
import { expireExceptions } from "../use-cases/expire-exceptions.ts";

/**
 * Expires exceptions past their expiresAt (reopening their findings). Idempotent; meant to be
 * scheduled every few minutes by the worker, as the lead wires it into jobRegistry.
 */
export const exceptionsExpireJob = defineJob({
  name: "exceptions.expire",
  schema: z.object({}).strict(),
  async handle(_payload, { db, logger }) {
    const result = await expireExceptions(db);
    if (result.expired > 0) logger.info(result, "expired exceptions");
    return result;
  },
  // A missed run is replaced by the next one; retrying it would only pile up.
  defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
