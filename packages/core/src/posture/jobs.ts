import { type Queue } from "bullmq";
import { type Db, plainSql, Prisma } from "@bulwark/db";
import { z } from "zod";
import { defineJob, enqueue, type JobDeps } from "../jobs/registry.ts";
import { type Redis } from "../redis.ts";
import { ensureBuiltinPolicies } from "../use-cases/ensure-builtin-policies.ts";
import { evaluateWorkloads } from "./evaluate-workloads.ts";

// When the stored inventory is evaluated: a cluster's workloads right after its inventory is processed,
// the whole organization after other reports (image facts feed policies), and whenever what is evaluated
// changes. Policies, exceptions and trusted registries change through many doors (API, dashboard actions,
// CLI, expiry), so rather than each of them queueing a job, a per-minute check compares a hash of each
// organization's evaluation inputs (enabled policy definitions, exceptions in force, trusted registries),
// computed for all organizations in one statement, with the one its last full evaluation ran with, kept
// in Redis. It also re-runs evaluations older than an hour: results move with time alone (scan age) and
// with re-matched vulnerabilities.

/** Redis key holding "<content hash> <epoch ms>" of an organization's last full evaluation. */
export const postureInputsKey = (orgId: string) => `bulwark:posture:inputs:${orgId}`;
export const POSTURE_MAX_AGE_MS = 3_600_000;

export const postureEvaluateJob = defineJob({
  name: "posture.evaluate",
  schema: z.strictObject({ orgId: z.string().min(1).max(100), clusterId: z.string().min(1).max(100).optional() }),
  async handle({ orgId, clusterId }, { db, redis }: JobDeps) {
    // An organization deleted since the job was queued: nothing to evaluate (and nothing to retry).
    if (!(await db.organization.findUnique({ where: { id: orgId }, select: { id: true } }))) return { orgId, skipped: "organization not found" };
    // Hashed before evaluating (built-ins created first, as evaluating would): a change made meanwhile
    // leaves a different hash, and the next check re-runs.
    if (clusterId === undefined) await ensureBuiltinPolicies(db, orgId);
    const hash = clusterId === undefined ? (await postureInputHashes(db, [orgId])).get(orgId) : undefined;
    const result = await evaluateWorkloads(db, orgId, { clusterId });
    if (hash !== undefined) await redis.set(postureInputsKey(orgId), `${hash} ${Date.now()}`);
    return { orgId, clusterId: clusterId ?? null, ...result };
  },
});

/**
 * md5 of what an organization's evaluation depends on besides its inventory, for the given organizations
 * (all when omitted), in one statement.
 */
export async function postureInputHashes(db: Db, orgIds?: readonly string[], now = new Date()): Promise<Map<string, string>> {
  const only = orgIds ? Prisma.sql`WHERE o.id = ANY(${[...orgIds]}::text[])` : Prisma.empty;
  const rows = await plainSql(db).$queryRaw<Array<{ id: string; hash: string }>>`
    WITH p AS (SELECT "orgId", string_agg(key || '=' || definition::text, ',' ORDER BY key) AS v FROM "Policy" WHERE enabled GROUP BY "orgId"),
    e AS (SELECT "orgId", string_agg(id || '=' || scope::text || '@' || COALESCE("expiresAt"::text, ''), ',' ORDER BY id) AS v
          FROM "Exception" WHERE status = 'APPROVED' AND "expiredAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
          GROUP BY "orgId"),
    r AS (SELECT "orgId", string_agg(DISTINCT host, ',' ORDER BY host) AS v FROM "Registry" WHERE trusted GROUP BY "orgId")
    SELECT o.id, md5(COALESCE(p.v, '') || '|' || COALESCE(e.v, '') || '|' || COALESCE(r.v, '')) AS hash
    FROM "Organization" o LEFT JOIN p ON p."orgId" = o.id LEFT JOIN e ON e."orgId" = o.id LEFT JOIN r ON r."orgId" = o.id ${only}`;
  return new Map(rows.map((r) => [r.id, r.hash]));
}

/**
 * Queues an evaluation; bursts collapse into one per organization (or cluster) while it waits. No
 * throttle window: a change right after an evaluation finished must queue a new one (a full evaluation
 * that was already running when inputs changed recorded the older hash, so the next check re-runs it).
 */
export async function enqueuePostureEvaluation(queue: Queue, orgId: string, clusterId?: string): Promise<void> {
  await enqueue(queue, postureEvaluateJob, clusterId === undefined ? { orgId } : { orgId, clusterId }, {
    deduplication: { id: `posture-evaluate-${orgId}-${clusterId ?? "all"}` },
    delay: 2_000,
  });
}

/** Organizations whose evaluation inputs changed since their last full evaluation, or whose last one is older than `maxAgeMs`. */
export async function organizationsDueForEvaluation(db: Db, redis: Redis, orgIds?: readonly string[], now = Date.now(), maxAgeMs = POSTURE_MAX_AGE_MS): Promise<string[]> {
  const hashes = [...(await postureInputHashes(db, orgIds, new Date(now)))];
  const due: string[] = [];
  for (let i = 0; i < hashes.length; i += 1_000) {
    const chunk = hashes.slice(i, i + 1_000);
    const stored = await redis.mget(...chunk.map(([id]) => postureInputsKey(id)));
    chunk.forEach(([id, hash], j) => {
      const [storedHash, at] = (stored[j] ?? "").split(" ");
      if (storedHash !== hash || !(Number(at) > now - maxAgeMs)) due.push(id);
    });
  }
  return due;
}

/** Every minute (worker maintenance schedule): queues evaluations for organizations whose inputs changed. */
export const postureEvaluateDueJob = defineJob({
  name: "posture.evaluate-due",
  schema: z.strictObject({ orgIds: z.array(z.string().min(1).max(100)).max(1_000).optional().meta({ description: "Only these (default: all)" }) }),
  async handle({ orgIds }, { db, redis, queue }: JobDeps) {
    const due = await organizationsDueForEvaluation(db, redis, orgIds);
    for (const id of due) await enqueuePostureEvaluation(queue, id);
    return { queued: due.length };
  },
  // The next tick is the retry.
  defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});

export const postureJobs = [postureEvaluateJob, postureEvaluateDueJob];
