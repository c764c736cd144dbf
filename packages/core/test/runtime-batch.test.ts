import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { Queue } from "bullmq";
import { processReport } from "../src/use-cases/process-report.ts";
import { processReportJob } from "../src/jobs/report-jobs.ts";
import { QUEUE_NAME } from "../src/jobs/registry.ts";
import { createLogger } from "../src/logger.ts";
import { createRedis } from "../src/redis.ts";
import { testDb, uid } from "./helpers.ts";
import { minutes, runtimeOrg, syscallEvent } from "./runtime-helpers.ts";

// FALCO reports waiting together are stored in one transaction; this pins that a batch decides and
// counts exactly as the same reports processed one by one: aggregates, occurrences, re-sent events,
// baselines learning and locking across reports, anomalies, per-report counts.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const t0 = new Date("2026-05-01T08:00:00Z");
const shell = (n: number, process: string, priority = "Notice", workload = "web") =>
  syscallEvent({ time: minutes(t0, n), process, priority, workload, rule: "Terminal shell in container", tags: ["T1059", "mitre_execution"], uuid: `u-${n}-${process}-${workload}-${priority}` });

/** Five reports: overlapping aggregates, a worse priority later, a re-sent event, learning then lock mid-way. */
function reports() {
  const r1 = [shell(0, "/bin/sh"), shell(1, "/usr/bin/curl"), shell(1, "/bin/sh", "Notice", "api")];
  const r2 = [shell(2, "/usr/bin/curl"), shell(3, "/usr/bin/python3", "Warning")];
  const r3 = [r1[0]!, shell(4, "/bin/bash", "Notice", "api")];
  // Past the 5-minute window: locks both baselines; /usr/bin/wget and /bin/zsh are outside them.
  const r4 = [shell(6, "/usr/bin/wget"), shell(7, "/bin/sh"), shell(8, "/bin/zsh", "Critical", "api")];
  // perl ran at minute 2, while web's baseline was learning, but arrives after the lock: learned, not flagged.
  const r5 = [shell(9, "/usr/bin/wget"), shell(2, "/usr/bin/perl")];
  return [r1, r2, r3, r4, r5];
}
// Built once: both runs post byte-identical reports.
const REPORTS = reports();

async function run(batchSize: number, newestFirst = false) {
  const env = await runtimeOrg(db, [{ namespace: "shop", name: "web" }, { namespace: "shop", name: "api" }], 5);
  const ids: string[] = [];
  for (const events of REPORTS) {
    ids.push((await acceptReport(db, null, env.ctx, { kind: "FALCO", body: events })).id);
    await new Promise((r) => setTimeout(r, 3));
  }
  const results = [];
  for (const id of newestFirst ? [...ids].reverse() : ids) results.push(await processReport(db, id, { batchSize }));
  if (newestFirst) results.reverse();
  return { ...env, ids, results };
}

async function state(orgId: string, ids: string[]) {
  const workloads = new Map((await db.workload.findMany({ where: { orgId } })).map((w) => [w.id, w.name]));
  const findings = (await db.finding.findMany({ where: { orgId } }))
    .map((f) => ({
      key: `${f.source}|${f.ruleId}|${f.title}`,
      severity: f.severity, status: f.status, occurrences: f.occurrences, firstSeen: f.firstSeen.toISOString(), lastSeen: f.lastSeen.toISOString(),
      mitre: f.mitreTechniques, workload: f.workloadId ? workloads.get(f.workloadId) : null, description: f.description,
      evidence: { ...(f.evidence as Record<string, unknown>), baselineId: undefined } as Record<string, unknown>,
      events: 0,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const events = await db.runtimeEvent.findMany({ where: { orgId }, include: {} });
  const byFinding = new Map<string, number>();
  for (const e of events) byFinding.set(e.findingId ?? "", (byFinding.get(e.findingId ?? "") ?? 0) + 1);
  const rawFindings = await db.finding.findMany({ where: { orgId }, select: { id: true, source: true, ruleId: true, title: true } });
  for (const f of rawFindings) findings.find((x) => x.key === `${f.source}|${f.ruleId}|${f.title}`)!.events = byFinding.get(f.id) ?? 0;
  const baselines = (await db.processBaseline.findMany({ where: { orgId } }))
    .map((b) => ({ workload: workloads.get(b.workloadId), container: b.container, status: b.status, processes: [...b.processes].sort(), learningEndsAt: b.learningEndsAt.toISOString(), lockedAt: b.lockedAt?.toISOString() ?? null }))
    .sort((a, b) => String(a.workload).localeCompare(String(b.workload)));
  const reports = await db.report.findMany({ where: { id: { in: ids } } });
  const counts = ids.map((id) => reports.find((r) => r.id === id)!.counts);
  return { findings, baselines, counts, statuses: reports.map((r) => r.status) };
}

describe("batched FALCO processing", () => {
  it("equals processing the same reports one by one", async () => {
    const single = await run(1);
    // The newest report's job runs first and takes the older ones along: they are still applied oldest first.
    const batch = await run(10, true);
    expect(single.results.every((r) => r.outcome === "processed" && !r.batched?.length)).toBe(true);
    // The first job (the newest report's) stored all five; the others find their report done.
    const [primary] = batch.results.slice(-1);
    expect(primary).toMatchObject({ outcome: "processed" });
    expect(primary!.batched?.sort()).toEqual(batch.ids.slice(0, -1).sort());
    expect(batch.results.slice(0, -1).every((r) => r.outcome === "skipped" && r.status === "PROCESSED")).toBe(true);

    const a = await state(single.org.id, single.ids);
    const b = await state(batch.org.id, batch.ids);
    expect(b).toEqual(a);
    // And what they agree on is right.
    expect(a.statuses).toEqual(["PROCESSED", "PROCESSED", "PROCESSED", "PROCESSED", "PROCESSED"]);
    expect(a.counts.map((c) => (c as Record<string, number>).eventsStored)).toEqual([3, 2, 1, 3, 2]);
    expect(a.counts.map((c) => (c as Record<string, number>).anomalies)).toEqual([0, 0, 0, 2, 1]);
    expect(a.baselines.map((x) => [x.workload, x.status, x.processes])).toEqual([
      ["api", "LOCKED", ["/bin/bash", "/bin/sh"]],
      ["web", "LOCKED", ["/bin/sh", "/usr/bin/curl", "/usr/bin/perl", "/usr/bin/python3"]],
    ]);
    const anomalies = a.findings.filter((f) => f.key.startsWith("bulwark-baseline"));
    expect(anomalies.map((f) => [f.evidence.process, f.severity, f.occurrences]).sort()).toEqual([
      ["/bin/zsh", "HIGH", 1],
      ["/usr/bin/wget", "MEDIUM", 2],
    ]);
    const falco = a.findings.filter((f) => f.key.startsWith("falco"));
    expect(falco.map((f) => [f.workload, f.severity, f.occurrences, f.events])).toEqual(
      expect.arrayContaining([["web", "MEDIUM", 8, 8], ["api", "CRITICAL", 3, 3]]),
    );

    // Alert candidates of the batch ride on the primary's result: each finding once.
    const alerted = new Set(primary!.alerts!.map((x) => x.findingId));
    expect(alerted.size).toBe(primary!.alerts!.length);
    const singleAlerts = single.results.flatMap((r) => r.alerts ?? []).filter((x) => x.reason === "created");
    expect(alerted.size).toBe(singleAlerts.length);
  });

  it("fails an invalid companion on its own and still stores the others", async () => {
    const { org, ctx } = await runtimeOrg(db, []);
    const good = await acceptReport(db, null, ctx, { kind: "FALCO", body: [shell(0, "/bin/sh")] });
    const bad = await acceptReport(db, null, ctx, { kind: "FALCO", body: [shell(1, "/bin/sh")] });
    // A body that passed validation once but no longer parses (e.g. written by an older version).
    await db.report.update({ where: { id: bad.id }, data: { body: gzipSync(JSON.stringify([{ rule: "x" }])) } });
    const other = await acceptReport(db, null, ctx, { kind: "FALCO", body: [shell(2, "/bin/sh")] });
    const r = await processReport(db, good.id, { batchSize: 10 });
    expect(r).toMatchObject({ outcome: "processed", counts: { eventsStored: 1 } });
    expect(r.alerts).toHaveLength(1);
    const byId = new Map((await db.report.findMany({ where: { orgId: org.id } })).map((x) => [x.id, x]));
    expect([good.id, bad.id, other.id].map((id) => byId.get(id)!.status)).toEqual(["PROCESSED", "FAILED", "PROCESSED"]);
    expect(byId.get(bad.id)!.error).toMatch(/priority/);
    expect((await db.finding.findFirstOrThrow({ where: { orgId: org.id } })).occurrences).toBe(2);
  });

  describe("the report.process job", () => {
    let redis: ReturnType<typeof createRedis>;
    let queue: Queue;
    beforeEach(() => {
      redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:63799/1");
      queue = new Queue(QUEUE_NAME, { connection: redis, prefix: `bull-batch-${uid()}` });
    });
    afterEach(async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await redis.quit();
    });
    const runJob = (reportId: string) => processReportJob.handle({ reportId }, { db, redis, queue, logger: createLogger("test", "silent") }, undefined as never);
    /** The findings handed to notify.route jobs waiting in this test's queue. */
    const routedFindings = async () =>
      (await queue.getJobs(["waiting", "prioritized", "delayed"])).filter((j) => j.name === "notify.route").flatMap((j) => (j.data as { candidates: { findingId: string }[] }).candidates.map((c) => c.findingId));

    it("a job whose own report fails still queues its settled companions' alerts, then fails for its retry", async () => {
      const { org, ctx } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }]);
      // A transient failure of the primary only: Postgres refuses its events (by their rule) for as long as the trigger lives.
      const rule = `Boom ${uid()}`;
      const fn = `boom_${uid().replace(/[^a-z0-9]/gi, "").toLowerCase()}`;
      await db.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.rule = '${rule}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
      await db.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "RuntimeEvent" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
      try {
        const companion = await acceptReport(db, null, ctx, { kind: "FALCO", body: [shell(0, "/bin/sh")] });
        const primary = await acceptReport(db, null, ctx, { kind: "FALCO", body: [{ ...shell(1, "/bin/sh"), rule }] });
        await expect(runJob(primary.id)).rejects.toThrow(/injected failure/);

        const statuses = new Map((await db.report.findMany({ where: { orgId: org.id } })).map((r) => [r.id, r.status]));
        expect([statuses.get(companion.id), statuses.get(primary.id)]).toEqual(["PROCESSED", "PENDING"]);
        const finding = await db.finding.findFirstOrThrow({ where: { orgId: org.id, type: "RUNTIME" }, select: { id: true } });
        expect(await routedFindings()).toEqual([finding.id]);
      } finally {
        await db.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "RuntimeEvent"`);
        await db.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
      }
    });

    it("a job whose own report is invalid still queues the alerts its batch found for the others", async () => {
      const { org, ctx } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }]);
      const companion = await acceptReport(db, null, ctx, { kind: "FALCO", body: [shell(0, "/bin/sh")] });
      const primary = await acceptReport(db, null, ctx, { kind: "FALCO", body: [shell(1, "/bin/sh")] });
      await db.report.update({ where: { id: primary.id }, data: { body: gzipSync(JSON.stringify([{ rule: "x" }])) } });
      const out = await runJob(primary.id);
      expect(out).toMatchObject({ outcome: "failed", batched: 1 });
      expect((await db.report.findUniqueOrThrow({ where: { id: companion.id } })).status).toBe("PROCESSED");
      const finding = await db.finding.findFirstOrThrow({ where: { orgId: org.id, type: "RUNTIME" }, select: { id: true } });
      expect(await routedFindings()).toEqual([finding.id]);
    });

    it("a report with a critical event is queued ahead of routine ones, and still takes the oldest along", async () => {
      const { org, ctx } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }]);
      const routine = await acceptReport(db, queue, ctx, { kind: "FALCO", body: [shell(0, "/bin/sh")] });
      const urgent = await acceptReport(db, queue, ctx, { kind: "FALCO", body: [shell(1, "/bin/sh", "Notice"), shell(2, "/bin/sh", "Critical")] });
      const priorities = new Map((await queue.getJobs(["prioritized", "waiting"])).map((j) => [j.id, j.opts.priority]));
      expect([priorities.get(`report-${routine.id}`), priorities.get(`report-${urgent.id}`)]).toEqual([10, 2]);
      // Taken first, the urgent job stores the older report too, in the order they arrived.
      const out = await runJob(urgent.id);
      expect(out).toMatchObject({ outcome: "processed", batched: 1 });
      expect((await db.report.findMany({ where: { orgId: org.id, kind: "FALCO" } })).map((r) => r.status)).toEqual(["PROCESSED", "PROCESSED"]);
      expect(await queue.getJob(`report-${routine.id}`)).toBeUndefined();
    });
  });
});
