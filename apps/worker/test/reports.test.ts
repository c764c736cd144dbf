import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { type Db } from "@bulwark/db";
import {
  acceptReport,
  authenticateToken,
  createApiTokenForOrg,
  createLogger,
  enqueue,
  type OrgContext,
  processReportJob,
  QUEUE_NAME,
  type Redis,
  sweepReportsJob,
} from "@bulwark/core";
import { startWorker, SWEEP_SCHEDULER_ID, type WorkerConfig, type WorkerHandle } from "../src/start-worker.ts";
import { deleteKeys, testDatabaseUrl, testDb, testRedis, testRedisUrl, uid, waitFor } from "./helpers.ts";

// Reports through the real worker: durable while no worker runs, swept up once one starts, and each
// processed exactly once when several workers share the queue.

const runId = uid();
const prefixes = new Set<string>();
const started: WorkerHandle[] = [];
let db: Db;
let redis: Redis;

function launch(prefix: string, overrides: Partial<WorkerConfig> = {}): WorkerHandle {
  prefixes.add(prefix);
  const handle = startWorker({
    databaseUrl: testDatabaseUrl(),
    redisUrl: testRedisUrl(),
    concurrency: 2,
    snapshotCron: "15 0 * * *",
    logger: createLogger("worker-test", "silent"),
    heartbeatIntervalMs: 200,
    snapshotOnStart: false,
    maintenanceEveryMs: 0,
    // Fast sweeps; a report must be 1 s old, so reports other test files process at once are left alone.
    sweepEveryMs: 300,
    sweepOlderThanSeconds: 1,
    ...overrides,
    prefix,
  });
  started.push(handle);
  return handle;
}

beforeAll(() => {
  db = testDb();
  redis = testRedis();
});

afterAll(async () => {
  await Promise.all(started.map((h) => h.close()));
  for (const p of prefixes) await deleteKeys(redis, `${p}:*`);
  await redis.quit();
  await db.$disconnect();
});

const alpine = JSON.parse(readFileSync(new URL("../../../packages/core/src/ingest/__fixtures__/trivy/alpine-310.json.golden", import.meta.url), "utf8")) as {
  Metadata: Record<string, unknown>;
};

/** The alpine-310 report for a distinct image digest: 4 findings of its own. */
function imageReport() {
  const digest = `sha256:${randomBytes(32).toString("hex")}`;
  return { ...alpine, Metadata: { ...alpine.Metadata, RepoDigests: [`ghcr.io/acme/app@${digest}`] } };
}

async function ingestCtx(): Promise<{ orgId: string; ctx: OrgContext }> {
  const org = await db.organization.create({ data: { slug: `rep-${uid()}`, name: "Reports test" } });
  const token = await createApiTokenForOrg(db, org.slug, { name: "connector", scopes: ["ingest"] }, "test");
  return { orgId: org.id, ctx: await authenticateToken(db, token.token, "ingest") };
}

const allProcessed = (ids: string[]) =>
  waitFor(
    `${ids.length} reports processed`,
    async () => {
      const rows = await db.report.findMany({ where: { id: { in: ids } } });
      return rows.every((r) => r.status === "PROCESSED") ? rows : undefined;
    },
    30_000,
  );

describe("report processing in the worker", () => {
  it("processes a report accepted while no worker ran, once one starts (the sweeper queues it)", async () => {
    const { orgId, ctx } = await ingestCtx();
    const accepted = await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport() });
    expect(accepted.status).toBe("PENDING");
    await new Promise((r) => setTimeout(r, 300));
    expect((await db.report.findUniqueOrThrow({ where: { id: accepted.id } })).status).toBe("PENDING");

    const prefix = `bull-rep-${runId}-late`;
    const w = launch(prefix);
    await w.ready;
    const schedulers = await w.queue.getJobSchedulers();
    expect(schedulers.find((s) => s.key === SWEEP_SCHEDULER_ID || s.id === SWEEP_SCHEDULER_ID)).toMatchObject({ name: sweepReportsJob.name, every: 300 });

    const [report] = await allProcessed([accepted.id]);
    expect(report).toMatchObject({ status: "PROCESSED", attempts: 1, counts: expect.objectContaining({ created: 4 }) });
    expect(await db.finding.count({ where: { orgId } })).toBe(4);
    await w.close();
  });

  it("two workers on one queue process each of N reports exactly once", async () => {
    const { orgId, ctx } = await ingestCtx();
    const prefix = `bull-rep-${runId}-pair`;
    const a = launch(prefix, { sweepEveryMs: 0 });
    const b = launch(prefix, { sweepEveryMs: 0 });
    await Promise.all([a.ready, b.ready]);
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
    try {
      const n = 12;
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await acceptReport(db, queue, ctx, { kind: "TRIVY", body: imageReport() })).id);
      // A second job per report (as a sweeper racing the first one would add) makes both workers contend.
      for (const id of ids) await enqueue(queue, processReportJob, { reportId: id }, { jobId: `dup-${id}` });

      const rows = await allProcessed(ids);
      for (const r of rows) expect(r).toMatchObject({ attempts: 1, counts: expect.objectContaining({ findings: 4, created: 4, unchanged: 0 }) });
      expect(await db.finding.count({ where: { orgId } })).toBe(4 * n);
      expect(await db.image.count({ where: { orgId } })).toBe(n);
      await waitFor("duplicate jobs settled", async () => {
        const c = await queue.getJobCounts("active", "waiting", "prioritized");
        return (c.active ?? 0) + (c.waiting ?? 0) + (c.prioritized ?? 0) === 0;
      });
      // Delayed: the posture snapshot's next cron run, and the follow-ups processed reports ask for — a
      // risk refresh, a match of new package lists and a policy evaluation — deduplicated per organization
      // (at most one each).
      expect(await queue.getJobCounts("failed")).toEqual({ failed: 0 });
      const delayed = await queue.getDelayed();
      const followUps = new Set(["risk.refresh", "vuln.match-ingested", "posture.evaluate"]);
      expect(delayed.filter((j) => !followUps.has(j.name)).map((j) => j.name)).toEqual(["posture.snapshot-all"]);
      for (const name of followUps) expect(delayed.filter((j) => j.name === name).length).toBeLessThanOrEqual(1);
      const settledJobs = await queue.getCompleted(0, 100);
      // Exactly once, counted from the jobs' own answers: the jobs that processed a report, each with the
      // reports it stored in its batch, add up to n. Jobs of batched reports were removed or skipped.
      const answers = settledJobs.map((j) => j.returnvalue as { outcome: string; batched?: number });
      const processed = answers.filter((a) => a.outcome === "processed");
      expect(processed.reduce((sum, a) => sum + 1 + (a.batched ?? 0), 0)).toBe(n);
      expect(answers.filter((a) => a.outcome !== "processed" && a.outcome !== "skipped")).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
