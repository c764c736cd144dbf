import "../../../../server/test-env.ts";
import { createApiToken, createResponseActions } from "@bulwark/core";
import { type Role } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The runtime response routes end to end on the real test database: an enforcement point claims its
// cluster's actions (GET /enforcement/actions) and reports results; members list actions, admins
// cancel them; scopes, roles and tenancy (another organization's action is a 404).

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { redis } = await import("../../../../server/redis.ts");
const { apiRequest: req, makeOrgWith, params, uid } = await import("../../../../server/route-testing.ts");
const claim = await import("../enforcement/actions/route.ts");
const result = await import("../enforcement/actions/[id]/result/route.ts");
const heartbeat = await import("../enforcement/heartbeat/route.ts");
const list = await import("./route.ts");
const cancel = await import("./[id]/cancel/route.ts");

const BASE = "http://localhost:3000/api/v1";

afterAll(async () => {
  await db().$disconnect();
  await redis().quit();
});

async function signIn(orgId: string, role: Role) {
  const user = await db().user.create({ data: { email: `${role.toLowerCase()}-${uid()}@test.local` } });
  await db().membership.create({ data: { orgId, userId: user.id, role } });
  session.userId = user.id;
}

/** An organization whose cluster `prod` has an enforcement point (by its heartbeat) and two pending actions. */
async function estate() {
  const { org, ctx } = await makeOrgWith("OWNER", "resp");
  const { token } = await createApiToken(db(), ctx, { name: "enforcer", scopes: ["enforcement"], clusterName: "prod" });
  const cluster = await db().cluster.findFirstOrThrow({ where: { orgId: org.id, name: "prod" } });
  session.userId = null;
  const beat = await heartbeat.POST(req(`${BASE}/enforcement/heartbeat`, { method: "POST", token, body: { name: "prod-enforcer", agentVersion: "0.1.0", bundleVersion: 1, cluster: "prod" } }), undefined);
  expect(beat.status).toBe(200);
  const base = { clusterId: cluster.id, policyKey: "no-privileged", namespace: "shop", workloadId: null, findingId: null, reason: "test" };
  const { created } = await createResponseActions(db(), org.id, [
    { ...base, action: "SCALE_TO_ZERO", kind: "Deployment", name: "web", pod: null },
    { ...base, action: "DELETE_POD", kind: "Deployment", name: "web", pod: "web-7d9c6b5f8-q8w2z" },
  ]);
  return { org, token, cluster, ids: created.map((a) => a.id) };
}

type Claimed = { enforcementPoint: { name: string }; actions: { id: string; action: string; pod: string | null }[] };

describe("response action API", () => {
  let acme: Awaited<ReturnType<typeof estate>>;
  beforeAll(async () => {
    acme = await estate();
  });

  it("lets the cluster's enforcement point claim its actions once and report results", async () => {
    session.userId = null;
    const res = await claim.GET(req(`${BASE}/enforcement/actions?point=prod-enforcer&limit=10`, { token: acme.token }), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Claimed;
    expect(body.enforcementPoint.name).toBe("prod-enforcer");
    expect(body.actions.map((a) => [a.id, a.action, a.pod])).toEqual([
      [acme.ids[0], "SCALE_TO_ZERO", null],
      [acme.ids[1], "DELETE_POD", "web-7d9c6b5f8-q8w2z"],
    ]);
    const again = (await (await claim.GET(req(`${BASE}/enforcement/actions?point=prod-enforcer`, { token: acme.token }), undefined)).json()) as Claimed;
    expect(again.actions).toEqual([]);

    const post = (id: string, body: unknown, token = acme.token) => result.POST(req(`${BASE}/enforcement/actions/${id}/result`, { method: "POST", token, body }), params({ id }));
    const ok = await post(acme.ids[0]!, { enforcementPoint: "prod-enforcer", status: "SUCCEEDED", message: "scaled deployments shop/web to 0" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: acme.ids[0], status: "SUCCEEDED", result: "scaled deployments shop/web to 0", enforcementPoint: { name: "prod-enforcer" } });
    expect((await post(acme.ids[0]!, { enforcementPoint: "prod-enforcer", status: "SUCCEEDED" })).status).toBe(200);
    expect((await post(acme.ids[0]!, { enforcementPoint: "prod-enforcer", status: "FAILED" })).status).toBe(409);
    const bad = await post(acme.ids[1]!, { enforcementPoint: "prod-enforcer", status: "DONE" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["status"]);
    expect((await post(acme.ids[1]!, { enforcementPoint: "prod-enforcer", status: "SKIPPED", message: "x".repeat(9000) })).status).toBe(413);
    expect((await db().auditLog.count({ where: { orgId: acme.org.id, action: "response.result" } }))).toBe(1);
  });

  it("refuses other scopes, unknown points, bad queries and other methods", async () => {
    session.userId = null;
    const { ctx } = await makeOrgWith("OWNER", "resp2");
    const { token: reader } = await createApiToken(db(), { ...ctx, orgId: acme.org.id }, { name: "reader", scopes: ["read"] });
    expect((await claim.GET(req(`${BASE}/enforcement/actions?point=prod-enforcer`, { token: reader }), undefined)).status).toBe(403);
    expect((await claim.GET(req(`${BASE}/enforcement/actions?point=prod-enforcer`), undefined)).status).toBe(401);
    expect((await claim.GET(req(`${BASE}/enforcement/actions?point=someone-else`, { token: acme.token }), undefined)).status).toBe(404);
    const bad = await claim.GET(req(`${BASE}/enforcement/actions?point=prod-enforcer&wait=31&limit=0`, { token: acme.token }), undefined);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(["limit", "wait"]);
    expect((await claim.POST(req(`${BASE}/enforcement/actions`, { method: "POST", token: acme.token }), undefined)).status).toBe(405);
  });

  it("lists actions for members with filters, lets only admins cancel, and hides other organizations' actions", async () => {
    await signIn(acme.org.id, "VIEWER");
    const res = await list.GET(req(`${BASE}/response-actions?status=SUCCEEDED`), undefined);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { actions: { id: string; status: string; cluster: { name: string } }[]; nextCursor: string | null };
    expect(page.actions.map((a) => [a.id, a.status, a.cluster.name])).toEqual([[acme.ids[0], "SUCCEEDED", "prod"]]);
    expect((await list.GET(req(`${BASE}/response-actions?status=NOPE`), undefined)).status).toBe(400);

    const id = acme.ids[1]!;
    expect((await cancel.POST(req(`${BASE}/response-actions/${id}/cancel`, { method: "POST" }), params({ id }))).status).toBe(403);
    await signIn(acme.org.id, "ADMIN");
    const done = await cancel.POST(req(`${BASE}/response-actions/${id}/cancel`, { method: "POST" }), params({ id }));
    expect(done.status).toBe(200);
    expect(((await done.json()) as { action: { status: string } }).action.status).toBe("CANCELLED");
    expect((await cancel.POST(req(`${BASE}/response-actions/${id}/cancel`, { method: "POST" }), params({ id }))).status).toBe(409);

    const globex = await estate();
    await signIn(acme.org.id, "ADMIN");
    const theirs = globex.ids[0]!;
    expect((await cancel.POST(req(`${BASE}/response-actions/${theirs}/cancel`, { method: "POST" }), params({ id: theirs }))).status).toBe(404);
    const mine = (await (await list.GET(req(`${BASE}/response-actions`), undefined)).json()) as { actions: { id: string }[] };
    expect(mine.actions.map((a) => a.id).sort()).toEqual([...acme.ids].sort());
    session.userId = null;
    // Acme's enforcer reporting on Globex's action: 404, nothing changes.
    const cross = await result.POST(req(`${BASE}/enforcement/actions/${theirs}/result`, { method: "POST", token: acme.token, body: { enforcementPoint: "prod-enforcer", status: "SUCCEEDED" } }), params({ id: theirs }));
    expect(cross.status).toBe(404);
    expect((await db().enforcementAction.findUniqueOrThrow({ where: { id: theirs } })).status).toBe("PENDING");
  });
});
