import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { triageFindings } from "../src/use-cases/triage-findings.ts";
import { caught, testDb, uid } from "./helpers.ts";
import { clone, falcoFixtures, fixture, post } from "./ingest-helpers.ts";
import { minutes, runtimeOrg, sendEvents, syscallEvent } from "./runtime-helpers.ts";

// Falco events end to end through processReport on the real database: aggregates, event identity,
// alert candidates, and the analyst's resolve action.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

type Raw = { rule: string; time: string; output: string; hostname?: string; output_fields: Record<string, unknown> };
const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("the Falco fixtures", () => {
  it("produce the expected aggregates: counts, first/last seen, severity, MITRE ids, tactics, linked workload", async () => {
    const { org, ctx, workload } = await runtimeOrg(db, [{ namespace: "default", name: "alpine-deployment" }]);
    // The fixtures name no cluster; the syscall ones are given the inventoried cluster's name.
    const events = (falcoFixtures() as Raw[]).map((e, i) => (i >= 6 ? { ...clone(e), output_fields: { ...e.output_fields, "k8s.cluster.name": "edge" } } : e));
    const first = await post(db, ctx, "FALCO", events);
    expect(first.counts).toEqual({ events: 12, eventsStored: 12, findings: 10, created: 10, updated: 0, reopened: 0, unchanged: 0, anomalies: 0 });
    expect(first.result.alerts).toHaveLength(10);
    expect(new Set(first.result.alerts!.map((a) => a.reason))).toEqual(new Set(["created"]));

    const findings = await db.finding.findMany({ where: { orgId: org.id }, orderBy: { firstSeen: "asc" } });
    expect(findings).toHaveLength(10);
    expect(findings.every((f) => f.type === "RUNTIME" && f.source === "falco" && f.status === "OPEN")).toBe(true);
    const byRule = (rule: string) => findings.filter((f) => f.ruleId === rule);

    const [disallowed] = byRule("Disallowed K8s User");
    expect(disallowed).toMatchObject({ occurrences: 3, severity: "MEDIUM", mitreTechniques: ["T1078"], workloadId: null, clusterId: null });
    expect(disallowed!.firstSeen.toISOString()).toBe("2025-02-10T09:15:40.698Z");
    expect(disallowed!.lastSeen.toISOString()).toBe("2025-02-10T09:15:57.807Z");
    expect(disallowed!.evidence).toMatchObject({ eventSource: "k8s_audit", hostname: "my-pool-1-node-921b61", tactics: [] });

    expect(byRule("K8s Serviceaccount Created")[0]).toMatchObject({ severity: "INFO", mitreTechniques: ["T1136"], occurrences: 1 });
    expect(byRule("Attach/Exec Pod").map((f) => [f.severity, f.mitreTechniques])).toEqual([["LOW", ["T1609"]], ["LOW", ["T1609"]]]);
    const api = byRule("Contact K8S API Server From Container")[0]!;
    expect(api).toMatchObject({ severity: "LOW", mitreTechniques: ["T1613"] });
    expect(api.evidence).toMatchObject({ namespace: "openfaas-fn", workload: "falco-pod-delete", image: "devopps/falco-pod-delete:latest", imageRepository: "docker.io/devopps/falco-pod-delete" });

    const shells = byRule("Terminal shell in container");
    expect(shells).toHaveLength(5);
    expect(shells.every((f) => f.severity === "LOW" && f.mitreTechniques.join() === "T1059")).toBe(true);
    // Only alpine-deployment is inventoried: its aggregate is linked to the workload, its namespace and cluster.
    const web = await workload("alpine-deployment");
    const linked = shells.filter((f) => f.workloadId !== null);
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ workloadId: web.id, clusterId: web.clusterId, namespaceId: web.namespaceId });
    expect(linked[0]!.evidence).toMatchObject({ pod: "alpine-deployment-77789455d6-m7flp", imageRepository: "docker.io/library/alpine" });

    // Raw events: the process (proc.exepath, else proc.name) and the identity hash of what a re-send repeats.
    const raw = await db.runtimeEvent.findMany({ where: { orgId: org.id }, orderBy: { time: "asc" } });
    expect(raw).toHaveLength(12);
    const e07 = fixture("falco/07-terminal-shell-in-container.json") as Raw;
    const stored07 = raw.find((r) => r.output === e07.output)!;
    expect(stored07).toMatchObject({ process: "sh", namespace: "default", pod: "alpine", container: "5892b41bcf46" });
    expect(stored07.eventKey).toBe(sha([e07.rule, e07.time, e07.output, ""].join("\u001f")));
    expect(raw.filter((r) => r.source === "k8s_audit").every((r) => r.process === null)).toBe(true);
    expect(raw.filter((r) => r.workloadId === web.id)).toHaveLength(1);
  });

  it("keeps MITRE tactics from mitre_* tags apart from technique ids", async () => {
    const { org, ctx } = await runtimeOrg(db, []);
    await sendEvents(db, ctx, [syscallEvent({ time: "2026-01-01T00:00:00Z", tags: ["container", "mitre_execution", "T1059.004", "mitre_persistence"] })]);
    const f = await db.finding.findFirstOrThrow({ where: { orgId: org.id } });
    expect(f.mitreTechniques).toEqual(["T1059.004"]);
    expect(f.evidence).toMatchObject({ tactics: ["TA0002", "TA0003"] });
  });
});

describe("event identity", () => {
  it("re-sending the same report, or events of it in another report, never doubles occurrences", async () => {
    const { org, ctx } = await runtimeOrg(db, []);
    const events = falcoFixtures();
    await post(db, ctx, "FALCO", events);
    const again = await post(db, ctx, "FALCO", events);
    expect(again.counts).toMatchObject({ events: 12, eventsStored: 0, created: 0, unchanged: 10 });
    expect(again.result.alerts).toEqual([]);
    const mixed = await post(db, ctx, "FALCO", [...events.slice(0, 3), { ...clone(events[0] as Raw), time: "2025-02-10T09:20:00.000000000Z" }]);
    expect(mixed.counts).toMatchObject({ events: 4, eventsStored: 1, findings: 1, unchanged: 1 });
    const disallowed = await db.finding.findFirstOrThrow({ where: { orgId: org.id, ruleId: "Disallowed K8s User" } });
    expect(disallowed.occurrences).toBe(4);
    expect(disallowed.lastSeen.toISOString()).toBe("2025-02-10T09:20:00.000Z");
    expect(await db.runtimeEvent.count({ where: { orgId: org.id } })).toBe(13);
    const total = await db.finding.aggregate({ where: { orgId: org.id }, _sum: { occurrences: true } });
    expect(total._sum.occurrences).toBe(13);
  });

  it("identifies events by Falco's uuid when present, and duplicates within one report count once", async () => {
    const { org, ctx } = await runtimeOrg(db, []);
    const id = `uuid-${uid()}`;
    const a = syscallEvent({ time: "2026-01-01T00:00:00Z", uuid: id });
    // The same uuid delivered twice (a falcosidekick retry) with a different output and time is one event.
    const r = await sendEvents(db, ctx, [a, { ...a, output: "re-rendered", time: "2026-01-01T00:00:01Z" }, syscallEvent({ time: "2026-01-01T00:00:02Z" })]);
    expect(r.counts).toMatchObject({ events: 3, eventsStored: 2, findings: 1 });
    expect((await db.finding.findFirstOrThrow({ where: { orgId: org.id } })).occurrences).toBe(2);
    const stored = await db.runtimeEvent.findMany({ where: { orgId: org.id }, orderBy: { time: "asc" } });
    expect(stored[0]!.eventKey).toBe(sha(id));
    // Another organization may store the same uuid.
    const other = await runtimeOrg(db, []);
    expect((await sendEvents(db, other.ctx, [a])).counts).toMatchObject({ eventsStored: 1 });
  });
});

describe("alert candidates", () => {
  it("created, escalated when the worst priority rises, none for more of the same, reopened after an analyst resolved it", async () => {
    const { org, ctx, analyst } = await runtimeOrg(db);
    const t0 = new Date("2026-02-01T10:00:00Z");
    const ev = (n: number, priority = "Notice") => syscallEvent({ time: minutes(t0, n), rule: "Write below etc", priority });
    const created = await sendEvents(db, ctx, [ev(0), ev(1)]);
    const finding = await db.finding.findFirstOrThrow({ where: { orgId: org.id } });
    expect(created.alerts).toEqual([{ findingId: finding.id, reason: "created" }]);
    expect((await sendEvents(db, ctx, [ev(2)])).alerts).toEqual([]);
    const worse = await sendEvents(db, ctx, [ev(3, "Error")]);
    expect(worse.alerts).toEqual([{ findingId: finding.id, reason: "escalated" }]);
    expect(worse.counts).toMatchObject({ updated: 1 });
    // The worst priority wins: a Notice afterwards neither lowers the severity nor alerts.
    expect((await sendEvents(db, ctx, [ev(4)])).alerts).toEqual([]);
    expect(await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ severity: "HIGH", occurrences: 5 });

    const resolved = await triageFindings(db, analyst, { ids: [finding.id], action: "resolve", reason: "Expected maintenance" }, minutes(t0, 10));
    expect(resolved).toMatchObject({ resolved: 1, skipped: [] });
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "finding.resolved", targetId: finding.id } })).toBe(1);
    // An event from before the resolution (delivered late) leaves it resolved …
    const late = await sendEvents(db, ctx, [ev(5)]);
    expect(late.alerts).toEqual([]);
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe("RESOLVED");
    // … a new one reopens it, and that alerts.
    const back = await sendEvents(db, ctx, [ev(11)]);
    expect(back.alerts).toEqual([{ findingId: finding.id, reason: "reopened" }]);
    expect(back.counts).toMatchObject({ reopened: 1 });
    expect(await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "OPEN", resolvedAt: null, occurrences: 7 });
  });
});

describe("resolve triage", () => {
  it("resolves RUNTIME and POLICY_VIOLATION findings only (ANALYST+), skipping scanner findings and closed ones", async () => {
    const { org, ctx, analyst } = await runtimeOrg(db);
    await sendEvents(db, ctx, [syscallEvent({ time: "2026-03-01T00:00:00Z" })]);
    const runtime = await db.finding.findFirstOrThrow({ where: { orgId: org.id } });
    const mk = (type: "VULNERABILITY" | "POLICY_VIOLATION", status: "OPEN" | "SUPPRESSED" = "OPEN") =>
      db.finding.create({ data: { orgId: org.id, fingerprint: uid(), type, status, severity: "HIGH", title: type, ruleId: `r-${uid()}`, source: "test" } });
    const vuln = await mk("VULNERABILITY");
    const policy = await mk("POLICY_VIOLATION");
    const suppressed = await mk("POLICY_VIOLATION", "SUPPRESSED");
    const viewer = { ...analyst, actor: { ...analyst.actor, role: "VIEWER" as const } };
    expect((await caught(triageFindings(db, viewer, { ids: [runtime.id], action: "resolve", reason: "x" }))).code).toBe("FORBIDDEN");
    const r = await triageFindings(db, analyst, { ids: [runtime.id, vuln.id, policy.id, suppressed.id], action: "resolve", reason: "Handled" });
    expect(r.resolved).toBe(2);
    expect(r.skipped.map((s) => s.id).sort()).toEqual([suppressed.id, vuln.id].sort());
    const status = async (id: string) => (await db.finding.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(runtime.id), await status(policy.id), await status(vuln.id), await status(suppressed.id)]).toEqual(["RESOLVED", "RESOLVED", "OPEN", "SUPPRESSED"]);
    const again = await triageFindings(db, analyst, { ids: [runtime.id], action: "resolve", reason: "Handled" });
    expect(again).toMatchObject({ resolved: 0, skipped: [{ id: runtime.id, reason: "Already resolved" }] });
  });
});

describe("bad input", () => {
  it("refuses events missing rule, priority, time or output_fields with VALIDATION_FAILED naming the field", async () => {
    const { ctx } = await runtimeOrg(db, []);
    for (const name of ["rule", "priority", "time", "output_fields"]) {
      const events = falcoFixtures() as Record<string, unknown>[];
      delete events[2]![name];
      const err = await caught(acceptReport(db, null, ctx, { kind: "FALCO", body: events }));
      expect(err.code).toBe("VALIDATION_FAILED");
      expect(err.fields?.map((f) => f.path)).toEqual([`2.${name}`]);
    }
  });
});
