import "../../../../../server/test-env.ts";
import { createApiToken, ensureCurrentBundle } from "@bulwark/core";
import { type Role } from "@bulwark/db";
import { afterAll, describe, expect, it, vi } from "vitest";

// Allowed deployers end to end on the real test database: roles, validation with field paths,
// duplicates, tenancy (another org's entry is a 404), the audit trail, and the bundle carrying them.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../../server/db.ts");
const { env } = await import("../../../../../env.ts");
const { apiRequest: req, makeOrgWith: makeOrgOf, params } = await import("../../../../../server/route-testing.ts");
const makeOrgWith = (role: Role) => makeOrgOf(role, "deployers");
const list = await import("./route.ts");
const one = await import("./[id]/route.ts");

const BASE = "http://localhost:3000/api/v1/settings/allowed-deployers";



afterAll(async () => {
  await db().$disconnect();
});

describe("allowed deployers API", () => {
  it("an admin adds and removes entries (audited), the bundle carries them grouped by namespace", async () => {
    const admin = await makeOrgWith("ADMIN");
    session.userId = admin.user.id;
    const a = await list.POST(req(BASE, { method: "POST", body: { namespace: "payments", subject: "system:serviceaccount:ci:deployer", note: "CD pipeline" } }), undefined);
    expect(a.status).toBe(201);
    const created = (await a.json()) as { id: string; createdBy: { email: string } };
    expect(created.createdBy.email).toBe(admin.user.email);
    expect((await list.POST(req(BASE, { method: "POST", body: { namespace: "*", subject: "group:platform-admins" } }), undefined)).status).toBe(201);
    expect((await list.POST(req(BASE, { method: "POST", body: { namespace: "payments", subject: "alice@example.com" } }), undefined)).status).toBe(201);

    const dup = await list.POST(req(BASE, { method: "POST", body: { namespace: "payments", subject: "alice@example.com" } }), undefined);
    expect(dup.status).toBe(409);

    const bundle = await ensureCurrentBundle(db(), admin.org.id, env().keySecret);
    expect(bundle.content.settings.allowedDeployers).toEqual([
      { namespace: "*", subjects: ["group:platform-admins"] },
      { namespace: "payments", subjects: ["alice@example.com", "system:serviceaccount:ci:deployer"] },
    ]);

    expect((await one.DELETE(req(`${BASE}/${created.id}`, { method: "DELETE" }), params({ id: created.id }))).status).toBe(204);
    const after = (await (await list.GET(req(BASE), undefined)).json()) as { items: { subject: string }[] };
    expect(after.items.map((i) => i.subject)).toEqual(["group:platform-admins", "alice@example.com"]);

    const audit = await db().auditLog.findMany({ where: { orgId: admin.org.id, action: { startsWith: "allowed_deployer." } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((r) => r.action)).toEqual(["allowed_deployer.added", "allowed_deployer.added", "allowed_deployer.added", "allowed_deployer.removed"]);
    const next = await ensureCurrentBundle(db(), admin.org.id, env().keySecret);
    expect(next.version).toBe(bundle.version + 1);
  });

  it("refuses bad input with field paths, viewers and tokens cannot change, other orgs get 404", async () => {
    const admin = await makeOrgWith("ADMIN");
    session.userId = admin.user.id;
    const bad = await list.POST(req(BASE, { method: "POST", body: { namespace: "Bad Namespace", subject: "system:serviceaccount:nope" } }), undefined);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((f) => f.path).sort()).toEqual(["namespace", "subject"]);

    const created = (await (await list.POST(req(BASE, { method: "POST", body: { namespace: "web", subject: "bob" } }), undefined)).json()) as { id: string };

    const viewer = await makeOrgWith("VIEWER");
    await db().membership.create({ data: { orgId: admin.org.id, userId: viewer.user.id, role: "VIEWER" } });
    session.userId = viewer.user.id;
    const { token } = await createApiToken(db(), admin.ctx, { name: "reader", scopes: ["policy:read"] });
    expect((await list.GET(req(BASE, { token }), undefined)).status).toBe(200);
    expect((await list.POST(req(BASE, { method: "POST", token, body: { namespace: "web", subject: "eve" } }), undefined)).status).toBe(403);

    const other = await makeOrgWith("OWNER");
    session.userId = other.user.id;
    expect((await one.DELETE(req(`${BASE}/${created.id}`, { method: "DELETE" }), params({ id: created.id }))).status).toBe(404);
    expect(await db().allowedDeployer.count({ where: { id: created.id } })).toBe(1);
  });
});
