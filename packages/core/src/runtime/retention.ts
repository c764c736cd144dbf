import { type Db } from "@bulwark/db";
import { z } from "zod";
import { utc } from "../ingest/store-findings.ts";
import { defineJob } from "../jobs/registry.ts";

// Raw Falco events are evidence behind runtime findings, kept for a while and then dropped: at
// thousands of events a second they would otherwise outgrow everything else. Findings keep their
// counts (occurrences, first/last seen): deleting old events never recounts them.

export const DEFAULT_RUNTIME_EVENT_RETENTION_DAYS = 30;
/** Rows per DELETE: each statement is short, so ingestion and readers never wait long behind it. */
const CHUNK = 5_000;
/** Rows deleted per organization per run at most; a larger backlog drains over the next runs. */
const MAX_PER_ORG = 2_000_000;

export interface PurgeResult {
  orgs: number;
  deleted: number;
}

export interface PurgeOptions {
  retentionDays: number;
  now?: Date;
  /** Rows per DELETE statement. */
  chunk?: number;
  /** Only these organizations (default: all). */
  orgIds?: readonly string[];
}

/** Deletes, organization by organization, the RuntimeEvent rows whose event time is older than `retentionDays`. */
export async function purgeRuntimeEvents(db: Db, opts: PurgeOptions): Promise<PurgeResult> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - opts.retentionDays * 86_400_000);
  const chunk = opts.chunk ?? CHUNK;
  const orgIds = opts.orgIds ?? (await db.organization.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((o) => o.id);
  let deleted = 0;
  let touched = 0;
  for (const orgId of orgIds) {
    let mine = 0;
    for (;;) {
      // The (orgId, time) index finds the oldest rows; one statement per chunk, each its own transaction.
      const n = await db.$executeRaw`
        DELETE FROM "RuntimeEvent" WHERE id IN (
          SELECT id FROM "RuntimeEvent" WHERE "orgId" = ${orgId} AND time < ${utc(cutoff)} LIMIT ${chunk})`;
      mine += n;
      if (n < chunk || mine >= MAX_PER_ORG) break;
    }
    if (mine > 0) touched++;
    deleted += mine;
  }
  return { orgs: touched, deleted };
}

/** Scheduled daily by the worker with its BULWARK_RUNTIME_EVENT_RETENTION_DAYS. */
export const runtimeRetentionJob = defineJob({
  name: "runtime.retention",
  schema: z.object({ retentionDays: z.number().int().min(1).max(3_650).default(DEFAULT_RUNTIME_EVENT_RETENTION_DAYS) }).strict(),
  async handle({ retentionDays }, { db, logger }) {
    const result = await purgeRuntimeEvents(db, { retentionDays });
    if (result.deleted > 0) logger.info({ ...result, retentionDays }, "deleted old runtime events");
    return result;
  },
  // A missed run is replaced by the next day's; retrying it would only pile up.
  defaults: { attempts: 1, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
});
