import { randomBytes } from "node:crypto";
import { type Job, type Queue } from "bullmq";
import { createDb, type Db, type Severity } from "@bulwark/db";
import { createLogger, createRedis, type Redis } from "@bulwark/core";
import { startWorker, type WorkerConfig } from "../src/start-worker.ts";

// Integration helpers: the real Postgres (TEST_DATABASE_URL) and Redis (db 1). Each test file uses its
// own BullMQ key prefix, so its jobs never mix with another run's.

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is required (npm test sets it)");
  return url;
}

export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:63799/1";
}

export const testDb = (): Db => createDb(testDatabaseUrl(), { max: 4 });
export const testRedis = (): Redis => createRedis(testRedisUrl(), { forWorker: true });
export const uid = () => randomBytes(5).toString("hex");

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with the job once it has completed or failed for good (a job waiting for a retry is "delayed"). */
export async function settled(queue: Queue, id: string | undefined): Promise<Job> {
  if (!id) throw new Error("job has no id");
  return waitFor(`job ${id} to settle`, async () => {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : undefined;
    return state === "completed" || state === "failed" ? queue.getJob(id) : undefined;
  });
}

/** An organization with one workload and one open finding per given severity (plus a resolved one). */
export async function makeOrgWithFindings(db: Db, severities: Severity[]) {
  const org = await db.organization.create({ data: { slug: `wk-${uid()}`, name: "Worker test" } });
  const cluster = await db.cluster.create({ data: { orgId: org.id, name: `c-${uid()}` } });
  const ns = await db.namespace.create({ data: { orgId: org.id, clusterId: cluster.id, name: "default" } });
  await db.workload.create({
    data: { orgId: org.id, clusterId: cluster.id, namespaceId: ns.id, kind: "Deployment", name: "web", podSpec: { containers: [{ name: "app", image: "nginx:1.25" }] } },
  });
  const finding = (severity: Severity, status: "OPEN" | "RESOLVED" = "OPEN") =>
    db.finding.create({
      data: { orgId: org.id, fingerprint: uid(), type: "MISCONFIGURATION", severity, status, title: `${severity} problem`, ruleId: `rule-${uid()}`, source: "test", clusterId: cluster.id },
    });
  for (const s of severities) await finding(s);
  await finding("CRITICAL", "RESOLVED");
  return { org, cluster, addFinding: finding };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}

export function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * A real worker on its own queue prefix (no schedulers, no start-up snapshot) with a database client
 * and a Redis connection for assertions; `close()` stops it and removes its keys.
 */
export async function startTestWorker(name: string, overrides: Partial<WorkerConfig> = {}) {
  const prefix = `bull-${name}-${uid()}`;
  const db = testDb();
  const redis = testRedis();
  const worker = startWorker({
    databaseUrl: testDatabaseUrl(),
    redisUrl: testRedisUrl(),
    concurrency: 2,
    snapshotCron: "15 0 * * *",
    logger: createLogger("worker-test", "silent"),
    heartbeatIntervalMs: 500,
    snapshotOnStart: false,
    maintenanceEveryMs: 0,
    sweepEveryMs: 0,
    ...overrides,
    prefix,
  });
  await worker.ready;
  return {
    db,
    redis,
    worker,
    prefix,
    async close() {
      await worker.close();
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
      await db.$disconnect();
    },
  };
}

/** An npm advisory affecting `name` from version 0 up to (not including) `fixed`. */
export function npmAdvisory(db: Db, name: string, opts: { fixed: string; severity?: Severity }) {
  return db.advisory.create({
    data: {
      externalId: `GHSA-${uid()}`,
      aliases: [],
      source: "test",
      severity: opts.severity ?? "HIGH",
      modifiedAt: new Date(),
      packages: { create: [{ ecosystem: "npm", name, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: opts.fixed }] }], versions: [], fixedVersions: [opts.fixed] }] },
    },
  });
}
