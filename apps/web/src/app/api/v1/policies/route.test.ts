import "../../../../server/test-env.ts";
import { createApiToken } from "@bulwark/core";
import { type Role } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The policy routes end to end on the real test database: request parsing, authentication (bearer
// tokens for real; the browser session's cookie decoding is next-auth's and stands in as the signed-in
// user id), the use cases and the problem+json answers.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith: makeOrgOf, params, uid } = await import("../../../../server/route-testing.ts");
const makeOrgWith = (role: Role) => makeOrgOf(role, "webpol");
const list = await import("./route.ts");
const one = await import("./[key]/route.ts");
const versions = await import("./[key]/versions/route.ts");

const BASE = "http://localhost:3000/api/v1/policies";



const as = (userId: string | null) => {
  session.userId = userId;
};

const celDef = (id: string, expression = "containers.exists(c, c.?securityContext.?privileged.orValue(false))") => ({
  id,
  name: `Custom ${id}`,
  severity: "HIGH",
  rule: { type: "cel", expression },
});

afterAll(async () => {
  await db().$disconnect();
});

describe("policy API", () => {
  let admin: Awaited<ReturnType<typeof makeOrgWith>>;
  beforeAll(async () => {
    admin = await makeOrgWith("ADMIN");
  });

  it("lists with a policy:read token and query filters; other scopes are 403 problems", async () => {
    const { token } = await createApiToken(db(), admin.ctx, { name: "enforcer", scopes: ["policy:read"] });
    const res = await list.GET(req(BASE, { token }), undefined);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { policies: { key: string; builtin: boolean; severity: string }[] };
    // Built-ins are created on the organization's first read.
    expect(body.policies.length).toBeGreaterThanOrEqual(20);
    expect(body.policies.every((p) => p.builtin)).toBe(true);
    expect(body.policies).toHaveLength(await db().policy.count({ where: { orgId: admin.org.id, builtin: true } }));
    const critical = (await (await list.GET(req(`${BASE}?severity=CRITICAL&builtin=true`, { token }), undefined)).json()) as typeof body;
    expect(critical.policies.length).toBeGreaterThan(0);
    expect(critical.policies.every((p) => p.severity === "CRITICAL" && p.builtin)).toBe(true);
    const badQuery = await list.GET(req(`${BASE}?severity=HUGE`, { token }), undefined);
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("severity");

    const { token: ingest } = await createApiToken(db(), admin.ctx, { name: "connector", scopes: ["ingest"] });
    const denied = await list.GET(req(BASE, { token: ingest }), undefined);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("content-type")).toBe("application/problem+json");
    // Tokens never write, whatever their scopes.
    const { token: read } = await createApiToken(db(), admin.ctx, { name: "reader", scopes: ["read", "policy:read"] });
    expect((await list.POST(req(BASE, { method: "POST", body: { definition: celDef(`t-${uid()}`) }, token: read }), undefined)).status).toBe(403);
  });

  it("creates (201), rejects bad CEL with its path and position, and refuses viewers", async () => {
    as(admin.user.id);
    const key = `web-${uid()}`;
    const created = await list.POST(req(BASE, { method: "POST", body: { definition: celDef(key), message: "From the API" } }), undefined);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/policies/${key}`);
    expect(await created.json()).toMatchObject({ key, currentVersion: 1, builtin: false, definition: { id: key } });

    const bad = await list.POST(req(BASE, { method: "POST", body: { definition: celDef(`bad-${uid()}`, "containers.exists(c, c.name ==)") } }), undefined);
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors[0]).toMatchObject({ path: "definition.rule.expression", message: expect.stringMatching(/line 1, column \d+/) });
    expect((await list.POST(req(BASE, { method: "POST", body: { definition: celDef(key) } }), undefined)).status).toBe(409);
    expect((await list.POST(req(BASE, { method: "POST", body: { message: "no definition" } }), undefined)).status).toBe(400);
    const text = new Request(BASE, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    expect((await list.POST(text, undefined)).status).toBe(415);

    const viewer = await makeMember(admin.org.id, "VIEWER");
    as(viewer.id);
    expect((await list.POST(req(BASE, { method: "POST", body: { definition: celDef(`v-${uid()}`) } }), undefined)).status).toBe(403);
    expect((await one.GET(req(`${BASE}/${key}`), params({ key }))).status).toBe(200);
    expect((await one.PUT(req(`${BASE}/${key}`, { method: "PUT", body: { definition: { ...celDef(key), severity: "LOW" } } }), params({ key }))).status).toBe(403);
    expect((await one.DELETE(req(`${BASE}/${key}`, { method: "DELETE" }), params({ key }))).status).toBe(403);
    as(admin.user.id);
    expect(await (await one.GET(req(`${BASE}/${key}`), params({ key }))).json()).toMatchObject({ currentVersion: 1, severity: "HIGH" });
  });

  it("updates as a new version with optimistic concurrency; built-ins refuse rule changes and deletion", async () => {
    as(admin.user.id);
    const key = `upd-${uid()}`;
    await list.POST(req(BASE, { method: "POST", body: { definition: celDef(key) } }), undefined);
    const put = (body: unknown) => one.PUT(req(`${BASE}/${key}`, { method: "PUT", body }), params({ key }));
    const res = await put({ definition: { ...celDef(key), severity: "CRITICAL" }, message: "Raise", expectedVersion: 1 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ changed: true, policy: { currentVersion: 2, severity: "CRITICAL" } });
    expect((await put({ definition: { ...celDef(key), severity: "LOW" }, expectedVersion: 1 })).status).toBe(409);
    const history = (await (await versions.GET(req(`${BASE}/${key}/versions`), params({ key }))).json()) as { versions: { version: number; message: string; authorEmail: string }[] };
    expect(history.versions.map((v) => [v.version, v.message, v.authorEmail])).toEqual([
      [2, "Raise", admin.user.email],
      [1, "Created", admin.user.email],
    ]);

    const builtin = await one.PUT(req(`${BASE}/no-privileged`, { method: "PUT", body: { definition: { id: "no-privileged", rule: { type: "cel", expression: "true" } } } }), params({ key: "no-privileged" }));
    expect(builtin.status).toBe(400);
    expect(((await builtin.json()) as { detail: string }).detail).toMatch(/clone it/);
    expect((await one.DELETE(req(`${BASE}/no-privileged`, { method: "DELETE" }), params({ key: "no-privileged" }))).status).toBe(409);
    const del = await one.DELETE(req(`${BASE}/${key}`, { method: "DELETE" }), params({ key }));
    expect(await del.json()).toEqual({ key, deleted: true });
    expect((await one.GET(req(`${BASE}/${key}`), params({ key }))).status).toBe(404);
  });

  it("answers 404 for another organization's policy on get, update, delete and versions", async () => {
    as(admin.user.id);
    const key = `secret-${uid()}`;
    await list.POST(req(BASE, { method: "POST", body: { definition: celDef(key) } }), undefined);
    const other = await makeOrgWith("OWNER");
    as(other.user.id);
    const answers = [
      await one.GET(req(`${BASE}/${key}`), params({ key })),
      await one.PUT(req(`${BASE}/${key}`, { method: "PUT", body: { definition: celDef(key) } }), params({ key })),
      await one.DELETE(req(`${BASE}/${key}`, { method: "DELETE" }), params({ key })),
      await versions.GET(req(`${BASE}/${key}/versions`), params({ key })),
    ];
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.headers.get("content-type")).toBe("application/problem+json");
    }
    as(admin.user.id);
    expect(await (await one.GET(req(`${BASE}/${key}`), params({ key }))).json()).toMatchObject({ key, currentVersion: 1 });
  });

  it("needs credentials", async () => {
    as(null);
    expect((await list.GET(req(BASE), undefined)).status).toBe(401);
  });
});

async function makeMember(orgId: string, role: Role) {
  const user = await db().user.create({ data: { email: `${role.toLowerCase()}-${uid()}@test.local` } });
  await db().membership.create({ data: { orgId, userId: user.id, role } });
  return user;
}
