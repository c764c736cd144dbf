import "../../../../server/test-env.ts";
import { createApiToken, setPolicyEnforcement, verifyBundleSignature } from "@bulwark/core";
import { type SignedBundle } from "@bulwark/policy";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The enforcement routes end to end on the real test database and Redis: public key, signed bundle
// with ETag/304 and long-poll, heartbeats, scopes and tenancy.

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), getServerSession: async () => null }));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith } = await import("../../../../server/route-testing.ts");
const { redis } = await import("../../../../server/redis.ts");
const publicKey = await import("./public-key/route.ts");
const bundle = await import("./bundle/route.ts");
const heartbeat = await import("./heartbeat/route.ts");

const BASE = "http://localhost:3000/api/v1/enforcement";

async function makeOrg() {
  const { org, ctx } = await makeOrgWith("ADMIN", "webenf");
  return { org, ctx };
}


async function tokenCount(tokenId: string): Promise<number> {
  const keys = await redis().keys(`bulwark:rl:token:${tokenId}:*`);
  const values = keys.length ? await redis().mget(...keys) : [];
  return values.reduce((n, v) => n + Number(v ?? 0), 0);
}

afterAll(async () => {
  await db().$disconnect();
  await redis().quit();
});

describe("enforcement API", () => {
  let acme: Awaited<ReturnType<typeof makeOrg>>;
  let token: string;
  let tokenId: string;
  beforeAll(async () => {
    acme = await makeOrg();
    const created = await createApiToken(db(), acme.ctx, { name: "enforcer", scopes: ["enforcement"] });
    token = created.token;
    tokenId = (await db().apiToken.findFirstOrThrow({ where: { orgId: acme.org.id, name: "enforcer" } })).id;
  });

  it("serves the public key without credentials and a bundle that verifies with it, with ETag and 304", async () => {
    const keyRes = await publicKey.GET(req(`${BASE}/public-key`), undefined);
    expect(keyRes.status).toBe(200);
    const key = (await keyRes.json()) as { keyId: string; algorithm: string; publicKey: string; publicKeyBase64: string };
    expect(key).toMatchObject({ algorithm: "Ed25519", publicKey: expect.stringContaining("BEGIN PUBLIC KEY") });

    const res = await bundle.GET(req(`${BASE}/bundle`, { token }), undefined);
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag")!;
    const body = (await res.json()) as SignedBundle;
    expect(etag).toBe(`"${body.version}-${body.contentHash.slice("sha256:".length, "sha256:".length + 16)}"`);
    expect(body).toMatchObject({ version: 1, keyId: key.keyId, content: { orgId: acme.org.id, schema: 1 } });
    expect(verifyBundleSignature(body, key.publicKey)).toBe(true);
    expect(verifyBundleSignature(body, key.publicKeyBase64)).toBe(true);

    const notModified = await bundle.GET(req(`${BASE}/bundle`, { token, headers: { "if-none-match": etag } }), undefined);
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(await notModified.text()).toBe("");
    expect((await bundle.GET(req(`${BASE}/bundle`, { token, headers: { "if-none-match": '"0-stale"' } }), undefined)).status).toBe(200);
    expect((await bundle.GET(req(`${BASE}/bundle?wait=61`, { token }), undefined)).status).toBe(400);
  });

  it("long-polls: 304 when nothing changed by the deadline, 200 as soon as a policy changes, and stops when the client leaves", async () => {
    const etag = (await bundle.GET(req(`${BASE}/bundle`, { token }), undefined)).headers.get("etag")!;
    const before = await tokenCount(tokenId);
    let t0 = Date.now();
    const idle = await bundle.GET(req(`${BASE}/bundle?wait=1`, { token, headers: { "if-none-match": etag } }), undefined);
    expect(idle.status).toBe(304);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    // One request, one hit on the token's rate limit, however long it waited.
    expect(await tokenCount(tokenId)).toBe(before + 1);

    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    t0 = Date.now();
    expect((await bundle.GET(req(`${BASE}/bundle?wait=30`, { token, headers: { "if-none-match": etag }, signal: abort.signal }), undefined)).status).toBe(304);
    expect(Date.now() - t0).toBeLessThan(3000);

    setTimeout(() => void setPolicyEnforcement(db(), acme.ctx, "no-privileged", "ENFORCE"), 1000);
    t0 = Date.now();
    const changed = await bundle.GET(req(`${BASE}/bundle?wait=20`, { token, headers: { "if-none-match": etag } }), undefined);
    expect(changed.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5000);
    const body = (await changed.json()) as SignedBundle;
    expect(body.version).toBe(2);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((body.content.policies as { id: string; enforcement: string }[]).find((p) => p.id === "no-privileged")?.enforcement).toBe("ENFORCE");
  });

  it("needs enforcement or policy:read, and gives each organization only its own bundle", async () => {
    const { token: ingest } = await createApiToken(db(), acme.ctx, { name: "connector", scopes: ["ingest", "read"] });
    const denied = await bundle.GET(req(`${BASE}/bundle`, { token: ingest }), undefined);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("content-type")).toBe("application/problem+json");
    expect((await bundle.GET(req(`${BASE}/bundle`), undefined)).status).toBe(401);

    const globex = await makeOrg();
    const { token: theirs } = await createApiToken(db(), globex.ctx, { name: "reader", scopes: ["policy:read"] });
    const res = await bundle.GET(req(`${BASE}/bundle`, { token: theirs }), undefined);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SignedBundle;
    expect(body.content.orgId).toBe(globex.org.id);
    expect(body.version).toBe(1);
  });

  it("records heartbeats, one enforcement point per name", async () => {
    const beat = (name: string, bundleVersion: number | null, t = token) =>
      heartbeat.POST(req(`${BASE}/heartbeat`, { method: "POST", token: t, body: { name, agentVersion: "0.1.0", bundleVersion } }), undefined);
    const first = await beat("edge-a", null);
    expect(first.status).toBe(200);
    const second = await beat("edge-a", 2);
    expect(await second.json()).toMatchObject({ name: "edge-a", bundleVersion: 2, agentVersion: "0.1.0" });
    await beat("edge-b", 2);
    const points = await db().enforcementPoint.findMany({ where: { orgId: acme.org.id }, orderBy: { name: "asc" } });
    expect(points.map((p) => [p.name, p.bundleVersion, p.tokenId])).toEqual([
      ["edge-a", 2, tokenId],
      ["edge-b", 2, tokenId],
    ]);
    const { token: reader } = await createApiToken(db(), acme.ctx, { name: "reader", scopes: ["policy:read"] });
    expect((await beat("edge-c", 1, reader)).status).toBe(403);
    const bad = await heartbeat.POST(req(`${BASE}/heartbeat`, { method: "POST", token, body: { name: "edge-a" } }), undefined);
    expect(bad.status).toBe(400);
    expect((await heartbeat.GET(req(`${BASE}/heartbeat`), undefined)).status).toBe(405);
  });
});
