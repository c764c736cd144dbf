import { randomUUID } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { getRuntimeActivity } from "../src/use-cases/get-runtime-activity.ts";
import { getRuntimeFinding } from "../src/use-cases/get-runtime-finding.ts";
import { listRuntimeEvents } from "../src/use-cases/list-runtime-events.ts";
import { listRuntimeFindings } from "../src/use-cases/list-runtime-findings.ts";
import { suppressionOptions, suppressRuntimeFinding } from "../src/use-cases/suppress-runtime-finding.ts";
import { triageFindings } from "../src/use-cases/triage-findings.ts";
import { caught, makeMember, testDb, uid, userCtx } from "./helpers.ts";
import { fixture, ingestOrg, post } from "./ingest-helpers.ts";

// The Runtime page's reads on the real database: Falco events posted through processReport, then
// listed, filtered and paged in each order; one aggregate's detail and raw events; the live-refresh
// signature; suppression through the exception use cases; and tenancy (another org's ids are 404s).

const db: Db = testDb();
afterAll(async () => {
  await db.$disconnect();
});

const PROD = "prod";
function ev(rule: string, priority: string, time: string, fields: Record<string, unknown>, tags: string[] = []) {
  return {
    uuid: randomUUID(),
    time,
    rule,
    priority,
    source: "syscall",
    tags,
    output: `${time} ${priority} ${rule} ${JSON.stringify(fields)}`,
    output_fields: { "k8s.cluster.name": PROD, "proc.name": "sh", "proc.exepath": "/bin/sh", "user.name": "root", ...fields },
  };
}
const api = (pod: string) => ({
  "k8s.ns.name": "payments",
  "k8s.pod.name": pod,
  "container.name": "api",
  "container.id": "abc123",
  "container.image.repository": "ghcr.io/acme/payments-api",
  "container.image.tag": "2.14.1",
});

interface World {
  orgId: string;
  viewer: OrgContext;
  analyst: OrgContext;
  admin: OrgContext;
  ingest: OrgContext;
  ids: { shell: string; secrets: string; edge: string; coredns: string; anomaly: string };
  apiWorkload: string;
}

let w: World;

beforeAll(async () => {
  const { org, ctx } = await ingestOrg(db);
  await post(db, ctx, "INVENTORY", fixture("kubernetes/eks-payments.json"), PROD);
  const shell = "Terminal shell in container";
  const events = [
    ev(shell, "Notice", "2026-11-20T10:00:00Z", api("api-7d9c6b5f8-q8w2z"), ["T1059", "mitre_execution", "container"]),
    ev(shell, "Notice", "2026-11-20T10:05:00Z", api("api-7d9c6b5f8-q8w2z"), ["T1059", "mitre_execution"]),
    ev(shell, "Notice", "2026-11-20T10:10:00Z", api("api-7d9c6b5f8-x2x4k"), ["T1059", "mitre_execution"]),
    ev("Read sensitive file untrusted", "Warning", "2026-11-21T09:00:00Z", { "k8s.ns.name": "payments", "k8s.pod.name": "postgres-0", "container.name": "postgres" }, ["T1555", "mitre_credential_access"]),
    ev("Contact K8S API Server From Container", "Notice", "2026-11-19T08:00:00Z", { "k8s.cluster.name": "edge", "k8s.ns.name": "default", "k8s.pod.name": "tool-7dc9f5fbb8-gbfk7" }),
    ev("Contact K8S API Server From Container", "Notice", "2026-11-19T08:01:00Z", { "k8s.cluster.name": "edge", "k8s.ns.name": "default", "k8s.pod.name": "tool-7dc9f5fbb8-gbfk7" }),
    ev("Drop and execute new binary in container", "Critical", "2026-11-18T07:00:00Z", { "k8s.ns.name": "kube-system", "k8s.pod.name": "coredns-54d6f577c6-9gkhx", "container.name": "coredns" }, ["T1611"]),
  ];
  const posted = await post(db, ctx, "FALCO", events);
  expect(posted.report.status).toBe("PROCESSED");
  const byRule = async (rule: string) => (await db.finding.findFirstOrThrow({ where: { orgId: org.id, ruleId: rule }, select: { id: true } })).id;
  const apiWorkload = (await db.workload.findFirstOrThrow({ where: { orgId: org.id, name: "api", kind: "Deployment" } })).id;
  const anomaly = await db.finding.create({
    data: {
      orgId: org.id,
      fingerprint: uid(),
      type: "RUNTIME",
      severity: "HIGH",
      title: "Process outside baseline: /usr/bin/curl",
      ruleId: "process-baseline-anomaly",
      source: "bulwark-baseline",
      workloadId: apiWorkload,
      mitreTechniques: [],
      evidence: { process: "/usr/bin/curl", container: "api", baselineId: "b1", cluster: PROD, namespace: "payments", workload: "api", pod: "api-7d9c6b5f8-q8w2z" },
      firstSeen: new Date("2026-11-17T00:00:00Z"),
      lastSeen: new Date("2026-11-17T00:00:00Z"),
    },
  });
  const member = async (role: "VIEWER" | "ANALYST" | "ADMIN") => userCtx(org.id, (await makeMember(db, org.id, role)).user, role);
  w = {
    orgId: org.id,
    viewer: await member("VIEWER"),
    analyst: await member("ANALYST"),
    admin: await member("ADMIN"),
    ingest: ctx,
    ids: {
      shell: await byRule(shell),
      secrets: await byRule("Read sensitive file untrusted"),
      edge: await byRule("Contact K8S API Server From Container"),
      coredns: await byRule("Drop and execute new binary in container"),
      anomaly: anomaly.id,
    },
    apiWorkload,
  };
});

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe("listRuntimeFindings", () => {
  it("lists runtime aggregates most recently seen first, with names, techniques and counts by severity", async () => {
    const r = await listRuntimeFindings(db, w.viewer, {});
    expect(ids(r.items)).toEqual([w.ids.secrets, w.ids.shell, w.ids.edge, w.ids.coredns, w.ids.anomaly]);
    const shell = r.items.find((i) => i.id === w.ids.shell)!;
    expect(shell).toMatchObject({
      rule: "Terminal shell in container",
      severity: "LOW",
      status: "OPEN",
      occurrences: 3,
      source: "falco",
      cluster: PROD,
      namespace: "payments",
      workload: { id: w.apiWorkload, name: "api", kind: "Deployment" },
      workloadName: "api",
      container: "api",
      image: "ghcr.io/acme/payments-api:2.14.1",
      mitreTechniques: [{ id: "T1059", name: "Command and Scripting Interpreter" }],
      tactics: [{ id: "TA0002", name: "Execution" }],
      exceptionId: null,
    });
    expect(shell.lastSeen.toISOString()).toBe("2026-11-20T10:10:00.000Z");
    // A cluster the inventory does not know still names the aggregate's place.
    expect(r.items.find((i) => i.id === w.ids.edge)).toMatchObject({ clusterId: null, cluster: "edge", namespace: "default", workload: null, workloadName: "tool", occurrences: 2 });
    expect(r.items.find((i) => i.id === w.ids.anomaly)).toMatchObject({ source: "bulwark-baseline", process: "/usr/bin/curl", workload: { name: "api" } });
    expect(r.counts).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 2, INFO: 0, total: 5 });
    expect(r.nextCursor).toBeNull();
  });

  it("filters by cluster, namespace, workload, rule, technique, source, since, text and severity", async () => {
    const list = async (q: Record<string, string | string[]>) => ids((await listRuntimeFindings(db, w.viewer, q)).items).sort();
    expect(await list({ cluster: "edge" })).toEqual([w.ids.edge]);
    expect(await list({ cluster: PROD })).toEqual([w.ids.shell, w.ids.secrets, w.ids.coredns, w.ids.anomaly].sort());
    expect(await list({ namespace: "payments" })).toEqual([w.ids.shell, w.ids.secrets, w.ids.anomaly].sort());
    expect(await list({ workload: w.apiWorkload })).toEqual([w.ids.shell, w.ids.anomaly].sort());
    expect(await list({ rule: "Terminal shell in container" })).toEqual([w.ids.shell]);
    expect(await list({ technique: "t1555" })).toEqual([w.ids.secrets]);
    expect(await list({ source: "bulwark-baseline" })).toEqual([w.ids.anomaly]);
    expect(await list({ source: "falco", since: "2026-11-20" })).toEqual([w.ids.shell, w.ids.secrets].sort());
    expect(await list({ since: "2026-11-20T10:06:00Z" })).toEqual([w.ids.shell, w.ids.secrets].sort());
    expect(await list({ q: "SENSITIVE" })).toEqual([w.ids.secrets]);
    expect(await list({ severity: "CRITICAL,MEDIUM" })).toEqual([w.ids.coredns, w.ids.secrets].sort());
    expect(await list({ severity: ["LOW"], cluster: PROD })).toEqual([w.ids.shell]);
    // Severity chips count the other filters' aggregates of every severity.
    expect((await listRuntimeFindings(db, w.viewer, { severity: "LOW", cluster: PROD })).counts).toMatchObject({ CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1, total: 4 });
  });

  it("pages every order without repeating or skipping an aggregate", async () => {
    const walk = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listRuntimeFindings>> = await listRuntimeFindings(db, w.viewer, { sort, limit: "2", ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page.items));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk("lastSeen")).toEqual([w.ids.secrets, w.ids.shell, w.ids.edge, w.ids.coredns, w.ids.anomaly]);
    // Most severe first, then most recent.
    expect(await walk("severity")).toEqual([w.ids.coredns, w.ids.anomaly, w.ids.secrets, w.ids.shell, w.ids.edge]);
    const byCount = await walk("occurrences");
    expect(byCount.slice(0, 2)).toEqual([w.ids.shell, w.ids.edge]);
    expect(byCount.sort()).toEqual(Object.values(w.ids).sort());
  });

  it("refuses bad filters with field paths and a cursor made for another order", async () => {
    const bad = await caught(listRuntimeFindings(db, w.viewer, { severity: ["HIGH", "SEVERE"], since: "yesterday", sort: "cvss", technique: "1059" }));
    expect(bad.code).toBe("VALIDATION_FAILED");
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(["severity.1", "since", "sort", "technique"]);
    const first = await listRuntimeFindings(db, w.viewer, { limit: "1" });
    const stale = await caught(listRuntimeFindings(db, w.viewer, { sort: "occurrences", cursor: first.nextCursor! }));
    expect(stale.fields).toEqual([{ path: "cursor", message: expect.any(String) }]);
  });

  it("shows another organization nothing", async () => {
    const other = await ingestOrg(db);
    const { user } = await makeMember(db, other.org.id, "OWNER");
    const ctx = userCtx(other.org.id, user, "OWNER");
    expect(await listRuntimeFindings(db, ctx, { status: "ALL" })).toMatchObject({ items: [], counts: { total: 0 } });
    expect((await caught(getRuntimeFinding(db, ctx, w.ids.shell))).code).toBe("NOT_FOUND");
    expect((await caught(listRuntimeEvents(db, ctx, w.ids.shell))).code).toBe("NOT_FOUND");
    expect((await caught(suppressRuntimeFinding(db, ctx, w.ids.shell, { preset: "workload", reason: "x" }))).code).toBe("NOT_FOUND");
  });
});

describe("getRuntimeFinding and listRuntimeEvents", () => {
  it("gives an aggregate with its events spread over pods and containers", async () => {
    const f = await getRuntimeFinding(db, w.viewer, w.ids.shell);
    expect(f).toMatchObject({
      id: w.ids.shell,
      eventCount: 3,
      byPod: [
        { name: "api-7d9c6b5f8-q8w2z", events: 2 },
        { name: "api-7d9c6b5f8-x2x4k", events: 1 },
      ],
      byContainer: [{ name: "api", events: 3 }],
      imageRepository: "ghcr.io/acme/payments-api",
      exception: null,
      workloadDeleted: false,
    });
    // A finding of another type is not a runtime finding.
    const vuln = await db.finding.create({ data: { orgId: w.orgId, fingerprint: uid(), type: "VULNERABILITY", severity: "HIGH", title: "t", ruleId: "CVE-2031-1", source: "trivy" } });
    expect((await caught(getRuntimeFinding(db, w.viewer, vuln.id))).code).toBe("NOT_FOUND");
    expect((await caught(listRuntimeEvents(db, w.viewer, vuln.id))).code).toBe("NOT_FOUND");
  });

  it("pages the raw events newest first with their fields", async () => {
    const first = await listRuntimeEvents(db, w.viewer, w.ids.shell, { limit: "2" });
    expect(first.items.map((e) => e.time.toISOString())).toEqual(["2026-11-20T10:10:00.000Z", "2026-11-20T10:05:00.000Z"]);
    expect(first.items[0]).toMatchObject({ rule: "Terminal shell in container", priority: "Notice", source: "syscall", pod: "api-7d9c6b5f8-x2x4k", container: "api", process: "/bin/sh" });
    expect(first.items[0]!.fields).toMatchObject({ "k8s.pod.name": "api-7d9c6b5f8-x2x4k", "proc.name": "sh" });
    expect(first.items[0]!.tags).toEqual(["T1059", "mitre_execution"]);
    const rest = await listRuntimeEvents(db, w.viewer, w.ids.shell, { limit: "2", cursor: first.nextCursor! });
    expect(rest.items.map((e) => e.time.toISOString())).toEqual(["2026-11-20T10:00:00.000Z"]);
    expect(rest.nextCursor).toBeNull();
    expect((await caught(listRuntimeEvents(db, w.viewer, w.ids.shell, { cursor: "nope" }))).fields?.[0]?.path).toBe("cursor");
    expect((await caught(listRuntimeEvents(db, w.viewer, w.ids.shell, { limit: "0" }))).fields?.[0]?.path).toBe("limit");
  });
});

describe("resolved runtime findings", () => {
  it("leave the open list when an analyst resolves them and show under status RESOLVED", async () => {
    const r = await triageFindings(db, w.analyst, { ids: [w.ids.coredns], action: "resolve", reason: "node replaced" });
    expect(r.resolved).toBe(1);
    expect(ids((await listRuntimeFindings(db, w.viewer, {})).items)).not.toContain(w.ids.coredns);
    const resolved = await listRuntimeFindings(db, w.viewer, { status: "RESOLVED" });
    expect(ids(resolved.items)).toEqual([w.ids.coredns]);
    expect((await getRuntimeFinding(db, w.viewer, w.ids.coredns)).resolvedAt).toBeInstanceOf(Date);
  });
});

describe("getRuntimeActivity", () => {
  it("changes its signature when events arrive and counts the aggregates changed since a time", async () => {
    const before = await getRuntimeActivity(db, w.viewer);
    expect(before).toMatchObject({ aggregates: 6 - 1, changed: null });
    const mark = new Date(Date.now() - 1000).toISOString();
    await post(db, w.ingest, "FALCO", [ev("Terminal shell in container", "Notice", "2026-11-22T10:00:00Z", api("api-7d9c6b5f8-q8w2z"), ["T1059"])]);
    const after = await getRuntimeActivity(db, w.viewer, { since: mark });
    expect(after.signature).not.toBe(before.signature);
    expect(after.events).toBe(before.events + 1);
    expect(after.changed).toBeGreaterThanOrEqual(1);
    expect((await caught(getRuntimeActivity(db, w.viewer, { since: "soon" }))).fields?.[0]?.path).toBe("since");
  });
});

describe("suppressRuntimeFinding", () => {
  it("offers presets from the aggregate's place, each with its cluster", async () => {
    const opts = suppressionOptions(await getRuntimeFinding(db, w.viewer, w.ids.shell));
    expect(opts.map((o) => [o.preset, o.scope])).toEqual([
      ["workload", { rule: "Terminal shell in container", cluster: PROD, namespace: "payments", workload: "api", kind: "Deployment" }],
      ["namespace", { rule: "Terminal shell in container", cluster: PROD, namespace: "payments" }],
      ["image", { rule: "Terminal shell in container", cluster: PROD, imageRepository: "ghcr.io/acme/payments-api" }],
    ]);
    const edge = suppressionOptions(await getRuntimeFinding(db, w.viewer, w.ids.edge));
    expect(edge.find((o) => o.preset === "image")).toMatchObject({ scope: null, why: "The events named no image" });
  });

  it("lets an analyst request and an admin suppress at once, with a required bounded expiry", async () => {
    const now = new Date();
    const viewer = await caught(suppressRuntimeFinding(db, w.viewer, w.ids.secrets, { preset: "namespace", reason: "noisy" }));
    expect(viewer.code).toBe("FORBIDDEN");
    const bad = await caught(suppressRuntimeFinding(db, w.analyst, w.ids.secrets, { preset: "cluster", reason: "", expiresInDays: 91 }));
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(["expiresInDays", "preset", "reason"]);
    expect((await caught(suppressRuntimeFinding(db, w.analyst, w.ids.edge, { preset: "image", reason: "x" }))).fields).toEqual([{ path: "preset", message: "The events named no image" }]);

    const requested = await suppressRuntimeFinding(db, w.analyst, w.ids.secrets, { preset: "workload", reason: "backup job reads it" }, now);
    expect(requested).toMatchObject({ approved: false, suppressed: 0, matchCount: 1 });
    expect(requested.expiresAt.getTime()).toBe(now.getTime() + 7 * 24 * 3600 * 1000);
    expect(await db.exception.findUniqueOrThrow({ where: { id: requested.exceptionId } })).toMatchObject({ status: "REQUESTED", kind: "RISK_ACCEPTED" });
    expect((await db.finding.findUniqueOrThrow({ where: { id: w.ids.secrets } })).status).toBe("OPEN");

    const done = await suppressRuntimeFinding(db, w.admin, w.ids.secrets, { preset: "workload", reason: "backup job reads it", expiresInDays: "30" }, now);
    expect(done).toMatchObject({ approved: true, suppressed: 1 });
    expect(await db.finding.findUniqueOrThrow({ where: { id: w.ids.secrets } })).toMatchObject({ status: "SUPPRESSED", exceptionId: done.exceptionId });
    expect(ids((await listRuntimeFindings(db, w.viewer, {})).items)).not.toContain(w.ids.secrets);
    const suppressed = await listRuntimeFindings(db, w.viewer, { status: "SUPPRESSED" });
    expect(suppressed.items).toMatchObject([{ id: w.ids.secrets, exceptionId: done.exceptionId }]);
    expect(ids((await listRuntimeFindings(db, w.viewer, { status: "ALL" })).items)).toContain(w.ids.secrets);
    expect((await getRuntimeFinding(db, w.viewer, w.ids.secrets)).exception).toMatchObject({ id: done.exceptionId, state: "approved" });
    expect(await db.auditLog.count({ where: { orgId: w.orgId, targetId: done.exceptionId, action: { in: ["exception.requested", "exception.approved"] } } })).toBe(2);
  });
});
