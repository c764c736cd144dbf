import "../../../../server/test-env.ts";
import { type Role } from "@bulwark/db";
import { afterAll, describe, expect, it, vi } from "vitest";

// The Runtime API on the real test database: runtime aggregates, their raw events and activity,
// process baselines (read by any member, changed by admins) and runtime settings; bad parameters as
// problem+json with field paths; another organization's ids as 404s; no session as 401.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, params, uid } = await import("../../../../server/route-testing.ts");
const findings = await import("./findings/route.ts");
const finding = await import("./findings/[id]/route.ts");
const events = await import("./findings/[id]/events/route.ts");
const activity = await import("./activity/route.ts");
const baselines = await import("./baselines/route.ts");
const baseline = await import("./baselines/[id]/route.ts");
const lock = await import("./baselines/[id]/lock/route.ts");
const reset = await import("./baselines/[id]/reset/route.ts");
const processes = await import("./baselines/[id]/processes/route.ts");
const settings = await import("../settings/runtime/route.ts");

const BASE = "http://localhost:3000/api/v1";

afterAll(async () => {
  await db().$disconnect();
});

async function signIn(orgId: string, role: Role) {
  const user = await db().user.create({ data: { email: `${role.toLowerCase()}-${uid()}@test.local` } });
  await db().membership.create({ data: { orgId, userId: user.id, role } });
  session.userId = user.id;
  return user;
}

/** A cluster with one workload, one runtime aggregate of three events, and the workload's baseline. */
async function estate(orgId: string) {
  const c = await db().cluster.create({ data: { orgId, name: "prod", lastReportAt: new Date() } });
  const ns = await db().namespace.create({ data: { orgId, clusterId: c.id, name: "shop" } });
  const w = await db().workload.create({ data: { orgId, clusterId: c.id, namespaceId: ns.id, kind: "Deployment", name: "api", podSpec: {} } });
  const f = await db().finding.create({
    data: {
      orgId,
      fingerprint: uid(),
      type: "RUNTIME",
      severity: "HIGH",
      title: "Terminal shell in container (shop/api)",
      ruleId: "Terminal shell in container",
      source: "falco",
      clusterId: c.id,
      namespaceId: ns.id,
      workloadId: w.id,
      mitreTechniques: ["T1059"],
      occurrences: 3,
      evidence: { cluster: "prod", namespace: "shop", workload: "api", pod: "api-1", container: "app", image: "ghcr.io/acme/api:1.0", tactics: ["TA0002"] },
      lastSeen: new Date("2026-11-29T10:02:00Z"),
      firstSeen: new Date("2026-11-29T10:00:00Z"),
    },
  });
  await db().runtimeEvent.createMany({
    data: [0, 1, 2].map((i) => ({
      orgId,
      clusterId: c.id,
      namespace: "shop",
      pod: `api-${i % 2}`,
      container: "app",
      workloadId: w.id,
      findingId: f.id,
      rule: f.ruleId,
      priority: "Error",
      source: "syscall",
      output: `shell ${i}`,
      time: new Date(`2026-11-29T10:0${i}:00Z`),
      fields: { "proc.name": "sh", i },
      tags: ["T1059"],
      process: "/bin/sh",
    })),
  });
  const b = await db().processBaseline.create({ data: { orgId, workloadId: w.id, container: "app", status: "LEARNING", processes: ["/bin/sh"], learningEndsAt: new Date(Date.now() + 3600_000) } });
  return { c, w, f, b };
}

type Problem = { code: string; errors?: { path: string }[] };
const paths = async (res: Response) => ((await res.json()) as Problem).errors?.map((e) => e.path).sort();

describe("runtime API", () => {
  it("lets any member read aggregates, raw events, activity, baselines and settings", async () => {
    const { org } = await makeOrgWith("OWNER", "rt-read");
    const { f, w, b } = await estate(org.id);
    await signIn(org.id, "VIEWER");

    const list = await findings.GET(req(`${BASE}/runtime/findings?severity=HIGH,CRITICAL&cluster=prod&technique=T1059`), undefined);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({
      items: [{ id: f.id, rule: "Terminal shell in container", occurrences: 3, workload: { id: w.id, name: "api", kind: "Deployment" }, mitreTechniques: [{ id: "T1059", name: "Command and Scripting Interpreter" }] }],
      nextCursor: null,
      counts: { HIGH: 1, total: 1 },
    });
    const detail = await finding.GET(req(`${BASE}/runtime/findings/${f.id}`), params({ id: f.id }));
    expect(await detail.json()).toMatchObject({ id: f.id, eventCount: 3, byPod: [{ name: "api-0", events: 2 }, { name: "api-1", events: 1 }], tactics: [{ id: "TA0002", name: "Execution" }] });
    const page = (await (await events.GET(req(`${BASE}/runtime/findings/${f.id}/events?limit=2`), params({ id: f.id }))).json()) as { items: { output: string; fields: unknown }[]; nextCursor: string };
    expect(page.items.map((e) => e.output)).toEqual(["shell 2", "shell 1"]);
    expect(page.items[0]!.fields).toEqual({ "proc.name": "sh", i: 2 });
    const older = (await (await events.GET(req(`${BASE}/runtime/findings/${f.id}/events?limit=2&cursor=${page.nextCursor}`), params({ id: f.id }))).json()) as { items: { output: string }[] };
    expect(older.items.map((e) => e.output)).toEqual(["shell 0"]);
    expect(await (await activity.GET(req(`${BASE}/runtime/activity`), undefined)).json()).toMatchObject({ aggregates: 1, events: 3, signature: expect.any(String) });

    expect(await (await baselines.GET(req(`${BASE}/runtime/baselines?status=LEARNING`), undefined)).json()).toMatchObject({ items: [{ id: b.id, container: "app", processes: ["/bin/sh"] }] });
    expect(await (await baseline.GET(req(`${BASE}/runtime/baselines/${b.id}`), params({ id: b.id }))).json()).toMatchObject({ id: b.id, status: "LEARNING", workload: { id: w.id, cluster: "prod", namespace: "shop" } });
    expect(await (await settings.GET(req(`${BASE}/settings/runtime`), undefined)).json()).toEqual({ baselineLearningMinutes: 1440, alertDedupMinutes: 60 });
  });

  it("refuses bad parameters with field paths, other methods with 405 and no session with 401", async () => {
    const { org } = await makeOrgWith("OWNER", "rt-bad");
    const { f } = await estate(org.id);
    await signIn(org.id, "VIEWER");
    const bad = await findings.GET(req(`${BASE}/runtime/findings?severity=SEVERE&sort=cvss&since=yesterday`), undefined);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(await paths(bad)).toEqual(["severity.0", "since", "sort"]);
    expect(await paths(await findings.GET(req(`${BASE}/runtime/findings?cursor=zzz`), undefined))).toEqual(["cursor"]);
    expect(await paths(await events.GET(req(`${BASE}/runtime/findings/${f.id}/events?limit=0`), params({ id: f.id })))).toEqual(["limit"]);
    expect(await paths(await activity.GET(req(`${BASE}/runtime/activity?since=soon`), undefined))).toEqual(["since"]);
    expect(await paths(await baselines.GET(req(`${BASE}/runtime/baselines?status=ASLEEP`), undefined))).toEqual(["status"]);
    expect((await findings.DELETE(req(`${BASE}/runtime/findings`, { method: "DELETE" }), undefined)).status).toBe(405);
    expect((await lock.GET(req(`${BASE}/runtime/baselines/x/lock`), undefined)).status).toBe(405);
    session.userId = null;
    expect((await findings.GET(req(`${BASE}/runtime/findings`), undefined)).status).toBe(401);
  });

  it("answers 404 for another organization's aggregates and baselines", async () => {
    const { org } = await makeOrgWith("OWNER", "rt-a");
    const { f, b } = await estate(org.id);
    const { org: other } = await makeOrgWith("OWNER", "rt-b");
    await signIn(other.id, "OWNER");
    expect(await (await findings.GET(req(`${BASE}/runtime/findings?status=ALL`), undefined)).json()).toMatchObject({ items: [], counts: { total: 0 } });
    for (const res of [
      await finding.GET(req(`${BASE}/runtime/findings/${f.id}`), params({ id: f.id })),
      await events.GET(req(`${BASE}/runtime/findings/${f.id}/events`), params({ id: f.id })),
      await baseline.GET(req(`${BASE}/runtime/baselines/${b.id}`), params({ id: b.id })),
      await lock.POST(req(`${BASE}/runtime/baselines/${b.id}/lock`, { method: "POST" }), params({ id: b.id })),
      await processes.POST(req(`${BASE}/runtime/baselines/${b.id}/processes`, { method: "POST", body: { process: "/usr/bin/curl" } }), params({ id: b.id })),
    ]) {
      expect(res.status).toBe(404);
    }
    expect(await db().processBaseline.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "LEARNING", processes: ["/bin/sh"] });
  });

  it("lets admins lock, reset and extend baselines and change settings; others get 403", async () => {
    const { org } = await makeOrgWith("OWNER", "rt-admin");
    const { b } = await estate(org.id);
    await signIn(org.id, "ANALYST");
    const at = (p: string) => `${BASE}/runtime/baselines/${b.id}/${p}`;
    expect((await lock.POST(req(at("lock"), { method: "POST" }), params({ id: b.id }))).status).toBe(403);
    expect((await settings.PUT(req(`${BASE}/settings/runtime`, { method: "PUT", body: { alertDedupMinutes: 5 } }), undefined)).status).toBe(403);

    await signIn(org.id, "ADMIN");
    expect(await (await lock.POST(req(at("lock"), { method: "POST" }), params({ id: b.id }))).json()).toMatchObject({ id: b.id, status: "LOCKED", lockedBy: expect.stringContaining("admin-") });
    const added = await processes.POST(req(at("processes"), { method: "POST", body: { process: "/usr/bin/curl" } }), params({ id: b.id }));
    expect(await added.json()).toMatchObject({ processes: ["/bin/sh", "/usr/bin/curl"] });
    expect(await paths(await processes.POST(req(at("processes"), { method: "POST", body: { process: "" } }), params({ id: b.id })))).toEqual(["process"]);
    expect((await processes.POST(req(at("processes"), { method: "POST", raw: "{", contentType: "application/json" }), params({ id: b.id }))).status).toBe(400);
    expect(await (await reset.POST(req(at("reset"), { method: "POST" }), params({ id: b.id }))).json()).toMatchObject({ status: "LEARNING", processes: [] });

    const put = await settings.PUT(req(`${BASE}/settings/runtime`, { method: "PUT", body: { baselineLearningMinutes: 120, alertDedupMinutes: 15 } }), undefined);
    expect(await put.json()).toEqual({ baselineLearningMinutes: 120, alertDedupMinutes: 15 });
    expect(await paths(await settings.PUT(req(`${BASE}/settings/runtime`, { method: "PUT", body: { baselineLearningMinutes: 1, alertDedupMinutes: 20_000 } }), undefined))).toEqual([
      "alertDedupMinutes",
      "baselineLearningMinutes",
    ]);
    expect(await db().auditLog.count({ where: { orgId: org.id, targetId: b.id } })).toBe(3);
  });
});
