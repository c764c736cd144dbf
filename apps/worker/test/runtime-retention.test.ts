import { afterAll, describe, expect, it } from "vitest";
import { createLogger, createRegistry, runtimeRetentionJob } from "@bulwark/core";
import { parseWorkerEnv } from "../src/env.ts";
import { RUNTIME_RETENTION_CRON, RUNTIME_RETENTION_SCHEDULER_ID, startWorker } from "../src/start-worker.ts";
import { startTestWorker, testDatabaseUrl, testRedisUrl } from "./helpers.ts";

// The daily runtime event retention: configured by BULWARK_RUNTIME_EVENT_RETENTION_DAYS, scheduled
// with the other housekeeping (and off with it).

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe("runtime event retention schedule", () => {
  it("reads the retention from the environment (default 30 days, 1 to 3650)", () => {
    const base = { DATABASE_URL: "postgresql://bulwark@127.0.0.1:54329/bulwark", REDIS_URL: "redis://127.0.0.1:63799/0" };
    expect(parseWorkerEnv(base).BULWARK_RUNTIME_EVENT_RETENTION_DAYS).toBe(30);
    expect(parseWorkerEnv({ ...base, BULWARK_RUNTIME_EVENT_RETENTION_DAYS: "7" }).BULWARK_RUNTIME_EVENT_RETENTION_DAYS).toBe(7);
    expect(() => parseWorkerEnv({ ...base, BULWARK_RUNTIME_EVENT_RETENTION_DAYS: "0" })).toThrow(/BULWARK_RUNTIME_EVENT_RETENTION_DAYS must be at least 1/);
  });

  it("schedules runtime.retention daily (UTC) with the configured days, and not when housekeeping is off", async () => {
    // No handlers: the hourly housekeeping jobs this start also schedules must not run against the test database.
    const on = await startTestWorker("rt-retention", { maintenanceEveryMs: 3_600_000, runtimeEventRetentionDays: 7, registry: createRegistry([]) });
    closers.push(on.close);
    const scheduler = (await on.worker.queue.getJobSchedulers()).find((s) => s.key === RUNTIME_RETENTION_SCHEDULER_ID || s.id === RUNTIME_RETENTION_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: runtimeRetentionJob.name, pattern: RUNTIME_RETENTION_CRON, tz: "UTC" });
    expect(scheduler?.template?.data).toEqual({ retentionDays: 7 });
    // A restart on the same queue with housekeeping off removes the schedule.
    await on.worker.close();
    const off = startWorker({
      databaseUrl: testDatabaseUrl(), redisUrl: testRedisUrl(), concurrency: 1, snapshotCron: "15 0 * * *", logger: createLogger("worker-test", "silent"),
      snapshotOnStart: false, maintenanceEveryMs: 0, sweepEveryMs: 0, registry: createRegistry([]), prefix: on.prefix,
    });
    closers.unshift(() => off.close());
    await off.ready;
    expect((await off.queue.getJobSchedulers()).map((s) => s.key ?? s.id)).not.toContain(RUNTIME_RETENTION_SCHEDULER_ID);
  });
});
