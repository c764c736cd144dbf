import { createApiTokenForOrg } from "@bulwark/core";
import { createDb } from "@bulwark/db";
import { expect, request, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { apiAs } from "./support/auth.ts";
import { closeDb, firstClusterId, membershipId, openBySeverity } from "./support/db.ts";
import { BASE_URL, E2E_DATABASE_URL, E2E_MAX_BODY_BYTES, USERS } from "./support/env.ts";

async function expectProblem(res: APIResponse, status: number, code?: string) {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const body = (await res.json()) as { status: number; code: string; title: string; detail: string; instance?: string };
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  return body;
}

let anon: APIRequestContext;
let admin: APIRequestContext;

test.beforeAll(async () => {
  anon = await request.newContext({ baseURL: BASE_URL });
  admin = await apiAs(USERS.admin);
});

test.afterAll(async () => {
  await Promise.all([anon.dispose(), admin.dispose()]);
  await closeDb();
});

test("health reports database and redis as ok", async () => {
  const res = await anon.get("/api/health");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; checks: { database: { ok: boolean }; redis: { ok: boolean } }; workers: number };
  expect(body.status).toBe("ok");
  expect(body.checks.database.ok).toBe(true);
  expect(body.checks.redis.ok).toBe(true);
  expect(typeof body.workers).toBe("number");
});

test("unknown API paths answer 404 problem+json for every method, never HTML", async () => {
  const body = await expectProblem(await anon.get("/api/v1/nope"), 404, "NOT_FOUND");
  expect(body.instance).toBe("/api/v1/nope");
  await expectProblem(await anon.post("/api/v1/nope", { data: {} }), 404, "NOT_FOUND");
  await expectProblem(await anon.delete("/api/v1/no-such-collection"), 404, "NOT_FOUND");
  await expectProblem(await anon.get("/api"), 404, "NOT_FOUND");
  await expectProblem(await admin.put("/api/deeply/nested/unknown/path", { data: {} }), 404, "NOT_FOUND");
  await expectProblem(await anon.get("/api/auth/not-a-next-auth-action"), 404, "NOT_FOUND");
});

test("a known path with the wrong method answers 405 with Allow", async () => {
  const res = await admin.delete("/api/v1/overview");
  await expectProblem(res, 405, "METHOD_NOT_ALLOWED");
  expect(res.headers()["allow"]).toContain("GET");
});

test("API calls without a session or token are 401", async () => {
  await expectProblem(await anon.get("/api/v1/overview"), 401, "UNAUTHENTICATED");
  await expectProblem(await anon.get("/api/v1/overview", { headers: { authorization: "Bearer bwk_not-a-real-token" } }), 401, "UNAUTHENTICATED");
});

test("the overview API returns the organization's real counts", async () => {
  const expected = await openBySeverity("acme");
  const res = await admin.get("/api/v1/overview");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { openBySeverity: Record<string, number>; score: number };
  expect(body.openBySeverity).toEqual(expected);
  expect(body.score).toBeGreaterThanOrEqual(0);
  expect(body.score).toBeLessThanOrEqual(100);
});

test("malformed JSON is a 400 problem", async () => {
  const res = await admin.post("/api/v1/members/invitations", { headers: { "content-type": "application/json" }, data: Buffer.from('{"email": "x@y.z", "role":') });
  const body = await expectProblem(res, 400, "BAD_REQUEST");
  expect(body.detail).toBe("Malformed JSON");
});

test("invalid fields are a 400 problem naming each field", async () => {
  const res = await admin.post("/api/v1/members/invitations", { data: { email: "not-an-email", role: "EMPEROR" } });
  const body = (await expectProblem(res, 400, "VALIDATION_FAILED")) as unknown as { errors: { path: string }[] };
  expect(body.errors.map((e) => e.path).sort()).toEqual(["email", "role"]);
});

test("a non-JSON body is a 415 problem", async () => {
  const res = await admin.post("/api/v1/members/invitations", { form: { email: "a@b.c", role: "VIEWER" } });
  await expectProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
});

test("a body over the size limit is a 413 problem, also when gzip inflates past it", async () => {
  const big = JSON.stringify({ email: "big@example.com", role: "VIEWER", padding: "x".repeat(E2E_MAX_BODY_BYTES) });
  const body = await expectProblem(await admin.post("/api/v1/members/invitations", { headers: { "content-type": "application/json" }, data: Buffer.from(big) }), 413, "PAYLOAD_TOO_LARGE");
  expect(body.detail).toContain(String(E2E_MAX_BODY_BYTES));

  const bomb = gzipSync(Buffer.from(JSON.stringify({ email: "bomb@example.com", role: "VIEWER", padding: "0".repeat(E2E_MAX_BODY_BYTES * 8) })));
  expect(bomb.byteLength).toBeLessThan(E2E_MAX_BODY_BYTES / 10);
  const res = await admin.post("/api/v1/members/invitations", { headers: { "content-type": "application/json", "content-encoding": "gzip" }, data: bomb });
  await expectProblem(res, 413, "PAYLOAD_TOO_LARGE");
});

test("a gzip body within the limit is accepted", async () => {
  const email = `gz-${randomBytes(4).toString("hex")}@example.com`;
  const res = await admin.post("/api/v1/members/invitations", {
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
    data: gzipSync(Buffer.from(JSON.stringify({ email, role: "VIEWER" }))),
  });
  expect(res.status(), await res.text()).toBe(201);
  const inv = (await res.json()) as { email: string; acceptUrl: string };
  expect(inv.email).toBe(email);
  expect(inv.acceptUrl).toMatch(new RegExp(`^${BASE_URL}/invite/bwi_`));
});

test.describe("a viewer", () => {
  let viewer: APIRequestContext;
  test.beforeAll(async () => {
    viewer = await apiAs(USERS.viewer);
  });
  test.afterAll(async () => {
    await viewer.dispose();
  });

  test("can read members but cannot invite or change roles (403)", async () => {
    const members = await viewer.get("/api/v1/members");
    expect(members.status()).toBe(200);
    expect(((await members.json()) as { members: { email: string }[] }).members.map((m) => m.email)).toContain(USERS.viewer);

    await expectProblem(await viewer.post("/api/v1/members/invitations", { data: { email: "intruder@example.com", role: "ADMIN" } }), 403, "FORBIDDEN");
    const own = await membershipId("acme", USERS.viewer);
    await expectProblem(await viewer.patch(`/api/v1/members/${own}`, { data: { role: "OWNER" } }), 403, "FORBIDDEN");
    const adminMembership = await membershipId("acme", USERS.admin);
    await expectProblem(await viewer.delete(`/api/v1/members/${adminMembership}`), 403, "FORBIDDEN");
    await expectProblem(await viewer.get("/api/v1/audit-log"), 403, "FORBIDDEN");
  });
});

test.describe("tenancy", () => {
  let acmeCluster: string;
  test.beforeAll(async () => {
    acmeCluster = await firstClusterId("acme");
  });

  test("acme's admin can read an acme cluster", async () => {
    const res = await admin.get(`/api/v1/clusters/${acmeCluster}`);
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(acmeCluster);
  });

  test("globex's admin gets 404 for an acme cluster", async () => {
    const globex = await apiAs(USERS.globexAdmin);
    try {
      await expectProblem(await globex.get(`/api/v1/clusters/${acmeCluster}`), 404, "NOT_FOUND");
      // And their own overview shows globex, not acme.
      const own = (await (await globex.get("/api/v1/overview")).json()) as { openBySeverity: Record<string, number> };
      expect(own.openBySeverity).toEqual(await openBySeverity("globex"));
    } finally {
      await globex.dispose();
    }
  });

  test("a globex API token gets 404 for an acme cluster and reads only globex", async () => {
    const db = createDb(E2E_DATABASE_URL, { max: 1 });
    let token: string;
    try {
      token = (await createApiTokenForOrg(db, "globex", { name: `e2e-${randomBytes(4).toString("hex")}`, scopes: ["read"] }, "e2e")).token;
    } finally {
      await db.$disconnect();
    }
    const headers = { authorization: `Bearer ${token}` };
    await expectProblem(await anon.get(`/api/v1/clusters/${acmeCluster}`, { headers }), 404, "NOT_FOUND");
    const overview = await anon.get("/api/v1/overview", { headers });
    expect(overview.status()).toBe(200);
    expect(((await overview.json()) as { openBySeverity: Record<string, number> }).openBySeverity).toEqual(await openBySeverity("globex"));
    // Tokens act for machines: member management needs a signed-in user.
    await expectProblem(await anon.get("/api/v1/members", { headers }), 403, "FORBIDDEN");
  });
});
