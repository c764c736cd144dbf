import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { BASELINE_RULE, BASELINE_SOURCE, MAX_BASELINE_PROCESSES } from "../src/runtime/baseline-view.ts";
import { isShell } from "../src/runtime/baselines.ts";
import { addBaselineProcess } from "../src/use-cases/add-baseline-process.ts";
import { lockProcessBaseline } from "../src/use-cases/lock-process-baseline.ts";
import { resetProcessBaseline } from "../src/use-cases/reset-process-baseline.ts";
import { testDb } from "./helpers.ts";
import { minutes, runtimeOrg, sendEvents, syscallEvent } from "./runtime-helpers.ts";

// Process baselines as ingestion applies them: learn during the window, lock when it runs out (or an
// admin locks), flag processes outside a locked baseline as anomaly findings.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const anomalies = (orgId: string) => db.finding.findMany({ where: { orgId, source: BASELINE_SOURCE }, orderBy: { firstSeen: "asc" } });

describe("process baselines at ingest", () => {
  it("learns during the window, locks when an event arrives after it, and only then flags new processes", async () => {
    const { org, ctx, workload } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }], 5);
    const web = await workload();
    const t0 = new Date("2026-04-01T12:00:00Z");
    const ev = (n: number, process: string, extra: Parameters<typeof syscallEvent>[0] = { time: t0 }) => syscallEvent({ ...extra, time: minutes(t0, n), process });

    const learning = await sendEvents(db, ctx, [ev(0, "/usr/sbin/nginx"), ev(1, "/usr/bin/curl"), ev(2, "/usr/sbin/nginx")]);
    expect(learning.counts).toMatchObject({ eventsStored: 3, anomalies: 0 });
    let baseline = await db.processBaseline.findFirstOrThrow({ where: { orgId: org.id } });
    expect(baseline).toMatchObject({ workloadId: web.id, container: "app", status: "LEARNING", lockedAt: null, lockedById: null });
    expect(baseline.processes.sort()).toEqual(["/usr/bin/curl", "/usr/sbin/nginx"]);
    expect(baseline.learningEndsAt.toISOString()).toBe(minutes(t0, 5).toISOString());
    // Before the lock, a process never seen is learned, not flagged.
    expect((await sendEvents(db, ctx, [ev(4, "/usr/bin/wget")])).counts).toMatchObject({ anomalies: 0 });
    expect(await anomalies(org.id)).toHaveLength(0);

    // The first event at or after learningEndsAt locks the baseline (as of learningEndsAt) before it is judged.
    const locked = await sendEvents(db, ctx, [ev(6, "/usr/bin/nc"), ev(7, "/usr/sbin/nginx"), ev(8, "/bin/sh", { time: t0, cmdline: "sh -c id" }), ev(9, "/usr/bin/nc")]);
    expect(locked.counts).toMatchObject({ eventsStored: 4, anomalies: 3 });
    baseline = await db.processBaseline.findFirstOrThrow({ where: { orgId: org.id } });
    expect(baseline).toMatchObject({ status: "LOCKED", lockedById: null });
    expect(baseline.lockedAt?.toISOString()).toBe(minutes(t0, 5).toISOString());
    expect(baseline.processes.sort()).toEqual(["/usr/bin/curl", "/usr/bin/wget", "/usr/sbin/nginx"]);

    const found = await anomalies(org.id);
    expect(found).toHaveLength(2);
    const [nc, sh] = found;
    expect(nc).toMatchObject({
      type: "RUNTIME", ruleId: BASELINE_RULE, severity: "MEDIUM", mitreTechniques: [], occurrences: 2, status: "OPEN",
      workloadId: web.id, clusterId: web.clusterId, namespaceId: web.namespaceId,
    });
    expect(nc!.firstSeen.toISOString()).toBe(minutes(t0, 6).toISOString());
    expect(nc!.lastSeen.toISOString()).toBe(minutes(t0, 9).toISOString());
    expect(sh).toMatchObject({ severity: "HIGH", mitreTechniques: ["T1059"], occurrences: 1 });
    expect(sh!.evidence).toEqual({
      process: "/bin/sh", container: "app", baselineId: baseline.id, cmdline: "sh -c id", user: "root", cluster: "edge", namespace: "shop",
      workload: "web", pod: "web-7d59548d75-wh4bs", imageRepository: "registry.example.com/acme/web",
    });
    // Both anomalies are new, so both are alert candidates (the "Run process" aggregate itself existed already).
    expect(locked.alerts?.map((a) => a.findingId).sort()).toEqual([nc!.id, sh!.id].sort());
    expect(new Set(locked.alerts?.map((a) => a.reason))).toEqual(new Set(["created"]));

    // More of the same: occurrences grow, no new finding, no alert.
    const more = await sendEvents(db, ctx, [ev(10, "/usr/bin/nc")]);
    expect(more.alerts).toEqual([]);
    expect((await db.finding.findUniqueOrThrow({ where: { id: nc!.id } })).occurrences).toBe(3);

    // Delivered late (e.g. falcosidekick retrying after an outage): perl ran at minute 3, while the
    // baseline was learning, so it is learned, not flagged; a new process after the lock still is.
    const late = await sendEvents(db, ctx, [ev(3, "/usr/bin/perl")]);
    expect(late.counts).toMatchObject({ eventsStored: 1, anomalies: 0 });
    expect(late.alerts).toEqual([]);
    expect((await db.processBaseline.findFirstOrThrow({ where: { orgId: org.id } })).processes.sort()).toEqual(["/usr/bin/curl", "/usr/bin/perl", "/usr/bin/wget", "/usr/sbin/nginx"]);
    expect((await sendEvents(db, ctx, [ev(11, "/usr/bin/ruby")])).counts).toMatchObject({ anomalies: 1 });
  });

  it("flags new processes right after an admin locks, even within the learning window", async () => {
    const { org, ctx, admin } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }]);
    const t0 = new Date();
    await sendEvents(db, ctx, [syscallEvent({ time: t0, process: "/usr/sbin/nginx" })]);
    const baseline = await db.processBaseline.findFirstOrThrow({ where: { orgId: org.id } });
    expect(baseline.status).toBe("LEARNING");
    expect((await sendEvents(db, ctx, [syscallEvent({ time: minutes(t0, 1), process: "/usr/bin/curl" })])).counts).toMatchObject({ anomalies: 0 });
    await lockProcessBaseline(db, admin, baseline.id);
    const after = await sendEvents(db, ctx, [syscallEvent({ time: minutes(t0, 2), process: "/usr/bin/wget" }), syscallEvent({ time: minutes(t0, 2), process: "/usr/bin/curl" })]);
    expect(after.counts).toMatchObject({ anomalies: 1 });
    const [wget] = await anomalies(org.id);
    expect(wget!.evidence).toMatchObject({ process: "/usr/bin/wget", baselineId: baseline.id });
    // Ingestion never overwrites who locked it.
    expect(await db.processBaseline.findUniqueOrThrow({ where: { id: baseline.id } })).toMatchObject({ status: "LOCKED", lockedById: admin.actor.type === "user" ? admin.actor.userId : "" });
  });

  it("reset relearns; adding a process resolves its open anomalies and stops new ones", async () => {
    const { org, ctx, admin } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }], 5);
    const t0 = new Date(Date.now() - 60 * 60_000);
    await sendEvents(db, ctx, [syscallEvent({ time: t0, process: "/usr/sbin/nginx" }), syscallEvent({ time: minutes(t0, 6), process: "/usr/bin/nc" })]);
    const baseline = await db.processBaseline.findFirstOrThrow({ where: { orgId: org.id } });
    expect(baseline.status).toBe("LOCKED");
    const [nc] = await anomalies(org.id);
    expect(nc).toMatchObject({ status: "OPEN", occurrences: 1 });

    const view = await addBaselineProcess(db, admin, baseline.id, { process: "/usr/bin/nc" });
    expect(view).toMatchObject({ openAnomalies: 0 });
    expect(view.processes).toEqual(["/usr/bin/nc", "/usr/sbin/nginx"]);
    expect((await db.finding.findUniqueOrThrow({ where: { id: nc!.id } })).status).toBe("RESOLVED");
    const again = await sendEvents(db, ctx, [syscallEvent({ time: minutes(t0, 7), process: "/usr/bin/nc" })]);
    expect(again.counts).toMatchObject({ anomalies: 0 });
    expect((await db.finding.findUniqueOrThrow({ where: { id: nc!.id } })).status).toBe("RESOLVED");

    const reset = await resetProcessBaseline(db, admin, baseline.id);
    expect(reset).toMatchObject({ status: "LEARNING", processes: [] });
    const r = await sendEvents(db, ctx, [syscallEvent({ time: new Date(), process: "/usr/bin/python3" })]);
    expect(r.counts).toMatchObject({ anomalies: 0 });
    expect((await db.processBaseline.findUniqueOrThrow({ where: { id: baseline.id } })).processes).toEqual(["/usr/bin/python3"]);
  });

  it("keeps one baseline per workload container, none for unresolved workloads or audit events, and caps the set", async () => {
    const { org, ctx } = await runtimeOrg(db, [{ namespace: "shop", name: "web", containers: ["app", "sidecar"] }]);
    const t0 = new Date();
    await sendEvents(db, ctx, [
      syscallEvent({ time: t0, container: "app" }),
      syscallEvent({ time: t0, container: "sidecar", process: "/envoy" }),
      syscallEvent({ time: t0, container: null, process: "/pause" }),
      syscallEvent({ time: t0, workload: "not-inventoried" }),
      syscallEvent({ time: t0, cluster: "unknown-cluster" }),
      { rule: "K8s Secret Get", priority: "Notice", time: t0.toISOString(), source: "k8s_audit", output_fields: { "ka.target.resource": "pods", "ka.target.name": "web-7d59548d75-wh4bs", "ka.target.namespace": "shop" } },
    ]);
    const rows = await db.processBaseline.findMany({ where: { orgId: org.id }, orderBy: { container: "asc" } });
    expect(rows.map((b) => [b.container, b.processes])).toEqual([["", ["/pause"]], ["app", ["/usr/bin/nginx"]], ["sidecar", ["/envoy"]]]);

    const many = Array.from({ length: MAX_BASELINE_PROCESSES + 5 }, (_, i) => syscallEvent({ time: minutes(t0, 1), process: `/opt/bin/tool-${i}` }));
    await sendEvents(db, ctx, many);
    const app = await db.processBaseline.findFirstOrThrow({ where: { orgId: org.id, container: "app" } });
    expect(app.processes).toHaveLength(MAX_BASELINE_PROCESSES);
  });

  it("recognises shells, busybox's included", () => {
    expect(["/bin/sh", "/bin/bash", "/usr/bin/dash", "zsh", "/bin/ash", "/bin/ksh"].every((p) => isShell(p, null))).toBe(true);
    expect(isShell("/bin/busybox", "sh -c id")).toBe(true);
    expect(isShell("/bin/busybox", "busybox ash")).toBe(true);
    expect(isShell("/bin/busybox", "wget http://x")).toBe(false);
    expect(isShell("/usr/bin/bashful", null)).toBe(false);
    expect(isShell("/usr/bin/curl", "sh")).toBe(false);
  });
});
