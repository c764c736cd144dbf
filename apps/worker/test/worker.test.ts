import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { type Db } from "@bulwark/db";
import {
  AppError,
  createLogger,
  enqueue,
  listHeartbeats,
  postureScore,
  postureSnapshotAllJob,
  postureSnapshotJob,
  QUEUE_NAME,
  type Redis,
  type WorkerHeartbeat,
} from "@bulwark/core";
import { SNAPSHOT_SCHEDULER_ID, startWorker, type WorkerConfig, type WorkerHandle } from "../src/start-worker.ts";
import { deleteKeys, makeOrgWithFindings, settled, testDatabaseUrl, testDb, testRedis, testRedisUrl, todayUtc, uid, waitFor } from "./helpers.ts";

const runId = uid();
const prefixes: string[] = [];
const started: WorkerHandle[] = [];

function launch(overrides: Partial<WorkerConfig> = {}): WorkerHandle {
  const prefix = overrides.prefix ?? `bull-test-${runId}-${prefixes.length}`;
  prefixes.push(prefix);
  const handle = startWorker({
    databaseUrl: testDatabaseUrl(),
    redisUrl: testRedisUrl(),
    concurrency: 2,
    snapshotCron: "15 0 * * *",
    logger: createLogger("worker-test", "silent"),
    heartbeatIntervalMs: 200,
    snapshotOnStart: false,
    maintenanceEveryMs: 0,
    // The report sweeper has its own tests (reports.test.ts); here it would add jobs to the counts.
    sweepEveryMs: 0,
    ...overrides,
    prefix,
  });
  started.push(handle);
  return handle;
}

let db: Db;
let redis: Redis;
let worker: WorkerHandle;
let queue: Queue;

beforeAll(async () => {
  db = testDb();
  redis = testRedis();
  worker = launch();
  await worker.ready;
  // The test enqueues through its own Queue, as the web app would.
  queue = new Queue(QUEUE_NAME, { connection: redis, prefix: prefixes[0] });
});

afterAll(async () => {
  await Promise.all(started.map((h) => h.close()));
  await queue.close();
  for (const p of prefixes) await deleteKeys(redis, `${p}:*`);
  await redis.quit();
  await db.$disconnect();
});

const snapshotsOf = (orgId: string) => db.postureSnapshot.findMany({ where: { orgId } });

describe("posture.snapshot", () => {
  it("writes today's snapshot with the core posture score", async () => {
    const { org } = await makeOrgWithFindings(db, ["CRITICAL", "HIGH", "LOW", "INFO"]);
    const job = await enqueue(queue, postureSnapshotJob, { orgId: org.id });
    const done = await settled(queue, job.id);
    expect(await done.getState()).toBe("completed");

    const expected = postureScore({ CRITICAL: 1, HIGH: 1, LOW: 1, INFO: 1 }, 1);
    expect(expected).toBe(39); // 100 / (1 + (10 + 5 + 0.5) / 10), rounded
    const [snap, ...rest] = await snapshotsOf(org.id);
    expect(rest).toHaveLength(0);
    expect(snap?.day.toISOString()).toBe(todayUtc().toISOString());
    expect(snap?.score).toBe(expected);
    expect(snap?.openBySeverity).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, INFO: 1 });
    expect(snap?.workloads).toBe(1);
    expect(snap?.clusters).toBe(1);
    expect(done.returnvalue).toEqual({ orgId: org.id, day: todayUtc().toISOString().slice(0, 10), score: expected });
  });

  it("is idempotent: running again, even concurrently, keeps one row per day and refreshes it", async () => {
    const { org, addFinding } = await makeOrgWithFindings(db, ["HIGH"]);
    const first = await settled(queue, (await enqueue(queue, postureSnapshotJob, { orgId: org.id })).id);
    expect(await first.getState()).toBe("completed");
    const before = await snapshotsOf(org.id);
    expect(before).toHaveLength(1);
    expect(before[0]?.score).toBe(postureScore({ HIGH: 1 }, 1));

    await addFinding("CRITICAL");
    const again = await Promise.all([1, 2, 3].map(() => enqueue(queue, postureSnapshotJob, { orgId: org.id })));
    for (const j of again) expect(await (await settled(queue, j.id)).getState()).toBe("completed");
    const after = await snapshotsOf(org.id);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(after[0]?.score).toBe(postureScore({ HIGH: 1, CRITICAL: 1 }, 1));
  });
});

describe("payload validation", () => {
  it("rejects an invalid payload at enqueue time and queues nothing", async () => {
    const countsBefore = await queue.getJobCounts();
    const err = await enqueue(queue, postureSnapshotJob, { orgId: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    expect((err as AppError).fields?.map((f) => f.path)).toEqual(["orgId"]);
    const wrongType = await enqueue(queue, postureSnapshotJob, { orgId: 42 } as never).catch((e: unknown) => e);
    expect((wrongType as AppError).code).toBe("VALIDATION_FAILED");
    expect(await queue.getJobCounts()).toEqual(countsBefore);
  });

  it("fails a stored job with an invalid payload at once, without retries", async () => {
    const raw = await queue.add(postureSnapshotJob.name, { orgId: 42 }, { attempts: 5, backoff: { type: "fixed", delay: 50 } });
    const failed = await settled(queue, raw.id);
    expect(await failed.getState()).toBe("failed");
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^invalid payload for posture\.snapshot: orgId /);
    // Were it retryable it would be back after the 50 ms backoff.
    await new Promise((r) => setTimeout(r, 500));
    const later = await queue.getJob(raw.id ?? "");
    expect(await later?.getState()).toBe("failed");
    expect(later?.attemptsMade).toBe(1);
  });
});

describe("scheduling", () => {
  it("registers the daily posture snapshot scheduler (UTC cron) at start", async () => {
    const schedulers = await queue.getJobSchedulers();
    const s = schedulers.find((x) => x.key === SNAPSHOT_SCHEDULER_ID || x.id === SNAPSHOT_SCHEDULER_ID);
    expect(s).toBeDefined();
    expect(s?.name).toBe("posture.snapshot-all");
    expect(s?.pattern).toBe("15 0 * * *");
    expect(s?.tz).toBe("UTC");
    expect(s?.template?.opts?.attempts).toBe(5);
    const next = new Date(s?.next ?? 0);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 15]);
    // The next run is already waiting as a delayed job, with a payload the processor accepts.
    const delayed = (await queue.getDelayed()).filter((j) => j.name === "posture.snapshot-all");
    expect(delayed).toHaveLength(1);
    expect((delayed[0]?.timestamp ?? 0) + (delayed[0]?.delay ?? 0)).toBe(next.getTime());
    expect(postureSnapshotAllJob.schema.safeParse(delayed[0]?.data).success).toBe(true);
  });

  it("upserts the scheduler: a restart with a new cron replaces it instead of adding one", async () => {
    const prefix = `bull-test-${runId}-resched`;
    const a = launch({ prefix });
    await a.ready;
    await a.close();
    const b = launch({ prefix, snapshotCron: "0 3 * * *" });
    await b.ready;
    const schedulers = await b.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]?.pattern).toBe("0 3 * * *");
    await b.close();
  });

  it("queues a fan-out at start that snapshots every organization", async () => {
    const { org } = await makeOrgWithFindings(db, ["MEDIUM"]);
    const w = launch({ snapshotOnStart: true });
    await w.ready;
    const [snap] = await waitFor("start-up snapshot", async () => {
      const rows = await snapshotsOf(org.id);
      return rows.length ? rows : undefined;
    });
    expect(snap?.score).toBe(postureScore({ MEDIUM: 1 }, 1));
    await w.close();
  });
});

describe("heartbeat", () => {
  const find = async (id: string): Promise<WorkerHeartbeat | undefined> => (await listHeartbeats(redis)).find((b) => b.id === id);

  it("is listed while the worker runs, counts jobs, and is removed on close", async () => {
    const w = launch();
    await w.ready;
    const first = await find(w.id);
    expect(first).toMatchObject({ pid: process.pid, jobsProcessed: 0, jobsFailed: 0 });
    expect(w.id).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));

    const { org } = await makeOrgWithFindings(db, []);
    await settled(w.queue, (await enqueue(w.queue, postureSnapshotJob, { orgId: org.id })).id);
    await settled(w.queue, (await w.queue.add(postureSnapshotJob.name, {})).id);
    const counted = await waitFor("heartbeat with job counts", async () => {
      const b = await find(w.id);
      return b && b.jobsProcessed >= 2 ? b : undefined;
    });
    expect(counted).toMatchObject({ jobsProcessed: 2, jobsFailed: 1, startedAt: first?.startedAt });
    expect(Date.parse(counted.lastBeatAt)).toBeGreaterThan(Date.parse(first?.lastBeatAt ?? ""));

    await w.close();
    expect(await find(w.id)).toBeUndefined();
    // And it stays gone: no late beat re-creates it.
    await new Promise((r) => setTimeout(r, 400));
    expect(await find(w.id)).toBeUndefined();
  });
});
