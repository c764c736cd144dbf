import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { BASELINE_RULE, BASELINE_SOURCE } from "../src/runtime/baseline-view.ts";
import { addBaselineProcess } from "../src/use-cases/add-baseline-process.ts";
import { getProcessBaseline } from "../src/use-cases/get-process-baseline.ts";
import { getRuntimeSettings } from "../src/use-cases/get-runtime-settings.ts";
import { listProcessBaselines } from "../src/use-cases/list-process-baselines.ts";
import { lockProcessBaseline } from "../src/use-cases/lock-process-baseline.ts";
import { resetProcessBaseline } from "../src/use-cases/reset-process-baseline.ts";
import { updateRuntimeSettings } from "../src/use-cases/update-runtime-settings.ts";
import { caught, makeEstate, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// The baseline and runtime-settings use cases the Runtime pages call: reads for any member, changes for
// admins with an audit row each, and another organization's baseline indistinguishable from none.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function setup() {
  const org = await makeOrg(db, "baselines");
  const admin = await makeMember(db, org.id, "ADMIN");
  const viewer = await makeMember(db, org.id, "VIEWER");
  const estate = await makeEstate(db, org.id, []);
  const learningEndsAt = new Date(Date.now() + 3_600_000);
  const baseline = await db.processBaseline.create({
    data: { orgId: org.id, workloadId: estate.workload.id, container: "app", processes: ["/usr/sbin/nginx", "/bin/sh"], learningEndsAt },
  });
  return { org, estate, baseline, admin: userCtx(org.id, admin.user, "ADMIN"), viewer: userCtx(org.id, viewer.user, "VIEWER"), adminUser: admin.user };
}

async function anomaly(orgId: string, baselineId: string, process: string, workloadId: string) {
  return db.finding.create({
    data: {
      orgId,
      fingerprint: uid(),
      type: "RUNTIME",
      severity: "MEDIUM",
      title: `Process outside baseline: ${process}`,
      ruleId: BASELINE_RULE,
      source: BASELINE_SOURCE,
      workloadId,
      evidence: { process, baselineId, container: "app" },
    },
  });
}

describe("process baseline use cases", () => {
  it("lists and gets baselines with their workload, sorted processes and open anomaly count", async () => {
    const { org, estate, baseline, viewer } = await setup();
    await anomaly(org.id, baseline.id, "/usr/bin/curl", estate.workload.id);
    const list = await listProcessBaselines(db, viewer, {});
    expect(list.nextCursor).toBeNull();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      id: baseline.id,
      workload: { id: estate.workload.id, name: estate.workload.name, kind: "Deployment", namespace: "default", cluster: estate.cluster.name },
      container: "app",
      status: "LEARNING",
      processes: ["/bin/sh", "/usr/sbin/nginx"],
      lockedAt: null,
      lockedBy: null,
      openAnomalies: 1,
    });
    expect(await getProcessBaseline(db, viewer, baseline.id)).toEqual(list.items[0]);
    expect((await listProcessBaselines(db, viewer, { status: "LOCKED" })).items).toHaveLength(0);
    expect((await listProcessBaselines(db, viewer, { q: estate.workload.name.toUpperCase() })).items).toHaveLength(1);
    expect((await listProcessBaselines(db, viewer, { q: "/bin/sh" })).items).toHaveLength(1);
    expect((await listProcessBaselines(db, viewer, { q: "nothing-like-it" })).items).toHaveLength(0);
    expect((await caught(listProcessBaselines(db, viewer, { limit: 0 }))).fields?.[0]?.path).toBe("limit");
  });

  it("pages with a cursor", async () => {
    const { org, viewer } = await setup();
    const more = await makeEstate(db, org.id, []);
    await db.processBaseline.create({ data: { orgId: org.id, workloadId: more.workload.id, container: "", learningEndsAt: new Date() } });
    const first = await listProcessBaselines(db, viewer, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe(first.items[0]!.id);
    const second = await listProcessBaselines(db, viewer, { limit: 1, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    expect(second.nextCursor).toBeNull();
  });

  it("locks (once, audited) and records who locked it", async () => {
    const { org, baseline, admin, viewer, adminUser } = await setup();
    expect((await caught(lockProcessBaseline(db, viewer, baseline.id))).code).toBe("FORBIDDEN");
    const locked = await lockProcessBaseline(db, admin, baseline.id);
    expect(locked).toMatchObject({ status: "LOCKED", lockedBy: adminUser.email });
    expect(locked.lockedAt).toBeInstanceOf(Date);
    const again = await lockProcessBaseline(db, admin, baseline.id);
    expect(again.lockedAt).toEqual(locked.lockedAt);
    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "baseline.locked" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: baseline.id, actorLabel: adminUser.email });
  });

  it("resets to an empty learning baseline ending one learning window from now", async () => {
    const { org, estate, baseline, admin } = await setup();
    await db.organization.update({ where: { id: org.id }, data: { baselineLearningMinutes: 90 } });
    await lockProcessBaseline(db, admin, baseline.id);
    await anomaly(org.id, baseline.id, "/usr/bin/curl", estate.workload.id);
    const now = new Date("2030-01-01T00:00:00Z");
    const reset = await resetProcessBaseline(db, admin, baseline.id, now);
    expect(reset).toMatchObject({ status: "LEARNING", processes: [], lockedAt: null, lockedBy: null, openAnomalies: 1 });
    expect(reset.learningEndsAt.toISOString()).toBe("2030-01-01T01:30:00.000Z");
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "baseline.reset", targetId: baseline.id } })).toBe(1);
  });

  it("adds a process and resolves the baseline's open anomalies for it, only those", async () => {
    const { org, estate, baseline, admin, viewer } = await setup();
    const curl = await anomaly(org.id, baseline.id, "/usr/bin/curl", estate.workload.id);
    const wget = await anomaly(org.id, baseline.id, "/usr/bin/wget", estate.workload.id);
    const otherBaseline = await anomaly(org.id, "another-baseline", "/usr/bin/curl", estate.workload.id);
    expect((await caught(addBaselineProcess(db, viewer, baseline.id, { process: "/usr/bin/curl" }))).code).toBe("FORBIDDEN");
    expect((await caught(addBaselineProcess(db, admin, baseline.id, { process: " " }))).fields?.[0]?.path).toBe("process");
    expect((await caught(addBaselineProcess(db, admin, baseline.id, {}))).fields?.[0]?.path).toBe("process");

    const view = await addBaselineProcess(db, admin, baseline.id, { process: " /usr/bin/curl " });
    expect(view.processes).toEqual(["/bin/sh", "/usr/bin/curl", "/usr/sbin/nginx"]);
    expect(view.openAnomalies).toBe(1);
    const status = async (id: string) => (await db.finding.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(curl.id)).toBe("RESOLVED");
    expect(await status(wget.id)).toBe("OPEN");
    expect(await status(otherBaseline.id)).toBe("OPEN");
    // Adding it again keeps one copy.
    expect((await addBaselineProcess(db, admin, baseline.id, { process: "/usr/bin/curl" })).processes).toHaveLength(3);
    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "baseline.process-added" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.metadata)).toMatchObject([
      { process: "/usr/bin/curl", added: true, anomaliesResolved: 1 },
      { process: "/usr/bin/curl", added: false, anomaliesResolved: 0 },
    ]);
  });

  it("answers 404 for another organization's baseline, whatever the role", async () => {
    const mine = await setup();
    const theirs = await setup();
    for (const call of [
      () => getProcessBaseline(db, mine.admin, theirs.baseline.id),
      () => lockProcessBaseline(db, mine.admin, theirs.baseline.id),
      () => resetProcessBaseline(db, mine.admin, theirs.baseline.id),
      () => addBaselineProcess(db, mine.admin, theirs.baseline.id, { process: "/bin/bash" }),
      () => getProcessBaseline(db, mine.admin, "no-such-id"),
    ]) {
      expect((await caught(call())).code).toBe("NOT_FOUND");
    }
    expect((await listProcessBaselines(db, mine.viewer, { workloadId: theirs.estate.workload.id })).items).toHaveLength(0);
    expect((await caught(listProcessBaselines(db, mine.viewer, { cursor: theirs.baseline.id }))).fields?.[0]?.path).toBe("cursor");
    const untouched = await db.processBaseline.findUniqueOrThrow({ where: { id: theirs.baseline.id } });
    expect(untouched).toMatchObject({ status: "LEARNING", processes: ["/usr/sbin/nginx", "/bin/sh"] });
  });
});

describe("runtime settings", () => {
  it("reads the defaults and lets admins change them, audited and validated", async () => {
    const { org, admin, viewer } = await setup();
    expect(await getRuntimeSettings(db, viewer)).toEqual({ baselineLearningMinutes: 1440, alertDedupMinutes: 60 });
    expect((await caught(updateRuntimeSettings(db, viewer, { alertDedupMinutes: 5 }))).code).toBe("FORBIDDEN");
    const bad = await caught(updateRuntimeSettings(db, admin, { baselineLearningMinutes: 4, alertDedupMinutes: 10_081 }));
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(["alertDedupMinutes", "baselineLearningMinutes"]);
    expect((await caught(updateRuntimeSettings(db, admin, {}))).code).toBe("VALIDATION_FAILED");
    expect((await caught(updateRuntimeSettings(db, admin, { alertDedupMinutes: 5, extra: 1 }))).code).toBe("VALIDATION_FAILED");
    expect(await updateRuntimeSettings(db, admin, { alertDedupMinutes: 15 })).toEqual({ baselineLearningMinutes: 1440, alertDedupMinutes: 15 });
    expect(await updateRuntimeSettings(db, admin, { baselineLearningMinutes: 43_200 })).toEqual({ baselineLearningMinutes: 43_200, alertDedupMinutes: 15 });
    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "runtime_settings.updated" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.metadata)).toEqual([
      { from: { baselineLearningMinutes: 1440, alertDedupMinutes: 60 }, to: { baselineLearningMinutes: 1440, alertDedupMinutes: 15 } },
      { from: { baselineLearningMinutes: 1440, alertDedupMinutes: 15 }, to: { baselineLearningMinutes: 43_200, alertDedupMinutes: 15 } },
    ]);
  });
});
