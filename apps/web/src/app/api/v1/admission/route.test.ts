import "../../../../server/test-env.ts";
import { createApiToken, ensureBuiltinPolicies, setPolicyEnforcement } from "@bulwark/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The admission routes end to end on the real test database and Redis: the central webhook with
// real AdmissionReview v1 requests, the failure policy for broken input, decision batches from
// enforcement points, the decision list, scopes and tenancy.

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), getServerSession: async () => null }));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, uid } = await import("../../../../server/route-testing.ts");
const { redis } = await import("../../../../server/redis.ts");
const reviewRoute = await import("./review/route.ts");
const listRoute = await import("./decisions/route.ts");
const batchRoute = await import("../enforcement/decisions/route.ts");
const { openApiDocument } = await import("../../../../server/openapi.ts");

const BASE = "http://localhost:3000/api/v1";

async function makeOrg() {
  const { org, ctx } = await makeOrgWith("ADMIN", "webadm");
  await ensureBuiltinPolicies(db(), org.id);
  const { token } = await createApiToken(db(), ctx, { name: "enforcer", scopes: ["enforcement"] });
  const { token: reader } = await createApiToken(db(), ctx, { name: "reader", scopes: ["read"] });
  return { org, ctx, token, reader };
}


function review(object: { kind: string; metadata: { name: string; namespace: string } }, group = "") {
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: crypto.randomUUID(),
      kind: { group, version: "v1", kind: object.kind },
      resource: { group, version: "v1", resource: `${object.kind.toLowerCase()}s` },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation: "CREATE",
      userInfo: { username: "kubernetes-admin", groups: ["system:masters", "system:authenticated"] },
      object,
      oldObject: null,
      dryRun: false,
    },
  };
}

const pod = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `p-${uid()}`, namespace: "shop" }, spec });
const privileged = () => pod({ containers: [{ name: "app", image: "ghcr.io/acme/api:1.0", securityContext: { privileged: true } }] });
const hostNetwork = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: `d-${uid()}`, namespace: "shop" },
  spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { hostNetwork: true, containers: [{ name: "web", image: "nginx:1.27" }] } } },
});

type ReviewAnswer = { apiVersion: string; kind: string; response: { uid: string; allowed: boolean; status?: { code: number; message: string }; warnings?: string[] } };

async function post(body: unknown, token: string, query = ""): Promise<{ status: number; answer: ReviewAnswer }> {
  const res = await reviewRoute.POST(req(`${BASE}/admission/review${query}`, { method: "POST", body, token }), undefined);
  return { status: res.status, answer: (await res.json()) as ReviewAnswer };
}

afterAll(async () => {
  await db().$disconnect();
  await redis().quit();
});

describe("POST /api/v1/admission/review", () => {
  let acme: Awaited<ReturnType<typeof makeOrg>>;
  beforeAll(async () => {
    acme = await makeOrg();
  });

  it("denies, warns or audits by the policy's mode, echoes the uid and records each decision", async () => {
    await setPolicyEnforcement(db(), acme.ctx, "no-privileged", "ENFORCE");
    await setPolicyEnforcement(db(), acme.ctx, "no-host-namespaces", "ENFORCE");
    const priv = review(privileged());
    const denied = await post(priv, acme.token, "?cluster=shop-prod");
    expect(denied.status).toBe(200);
    expect(denied.answer).toMatchObject({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: priv.request.uid, allowed: false, status: { code: 403 } } });
    expect(denied.answer.response.status!.message).toContain("no-privileged");
    const host = await post(review(hostNetwork(), "apps"), acme.token, "?cluster=shop-prod");
    expect(host.answer.response.allowed).toBe(false);
    expect(host.answer.response.status!.message).toContain("no-host-namespaces");

    await setPolicyEnforcement(db(), acme.ctx, "no-privileged", "WARN");
    const warned = await post(review(privileged()), acme.token);
    expect(warned.answer.response.allowed).toBe(true);
    expect(warned.answer.response.warnings?.some((w) => w.includes("no-privileged"))).toBe(true);

    await setPolicyEnforcement(db(), acme.ctx, "no-privileged", "AUDIT");
    const audited = await post(review(privileged()), acme.token);
    expect(audited.answer.response).toEqual({ uid: expect.any(String), allowed: true });

    const rows = await db().admissionDecision.findMany({ where: { orgId: acme.org.id }, orderBy: { decidedAt: "asc" } });
    expect(rows.map((r) => [r.kind, r.allowed, r.warned])).toEqual([
      ["Pod", false, false],
      ["Deployment", false, false],
      ["Pod", true, true],
      ["Pod", true, false],
    ]);
    expect(rows.every((r) => r.policies.length > 0)).toBe(true);
    const findings = await db().finding.findMany({ where: { orgId: acme.org.id, type: "POLICY_VIOLATION" }, select: { ruleId: true } });
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["no-host-namespaces", "no-privileged", "no-privileged"]);

    // Reviewing the denied pod again creates no second finding.
    await setPolicyEnforcement(db(), acme.ctx, "no-privileged", "ENFORCE");
    await post({ ...priv, request: { ...priv.request, uid: crypto.randomUUID() } }, acme.token, "?cluster=shop-prod");
    expect(await db().finding.count({ where: { orgId: acme.org.id, type: "POLICY_VIOLATION" } })).toBe(3);
  });

  it("answers broken input with a 200 AdmissionReview decided by failurePolicy", async () => {
    const send = async (init: { raw?: string; body?: unknown; contentType?: string }, query = "") => {
      const res = await reviewRoute.POST(req(`${BASE}/admission/review${query}`, { method: "POST", token: acme.token, ...init }), undefined);
      expect(res.status).toBe(200);
      return ((await res.json()) as ReviewAnswer).response;
    };
    expect(await send({ raw: "{not json" })).toMatchObject({ uid: "", allowed: false, status: { code: 403 } });
    expect(await send({ raw: "{not json" }, "?failurePolicy=Ignore")).toMatchObject({ uid: "", allowed: true });
    expect(await send({ body: { apiVersion: "v1", kind: "Pod" } })).toMatchObject({ uid: "", allowed: false });
    expect(await send({ raw: "<xml/>", contentType: "application/xml" }, "?failurePolicy=Ignore")).toMatchObject({ allowed: true });
    const noKind = { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "abc-123", operation: "CREATE" } };
    expect(await send({ body: noKind })).toMatchObject({ uid: "abc-123", allowed: false });
    expect(await send({ body: noKind }, "?failurePolicy=Ignore")).toMatchObject({ uid: "abc-123", allowed: true });
    let deep: unknown = {};
    for (let i = 0; i < 150; i++) deep = { a: deep };
    expect(await send({ body: { ...review(privileged()), extra: deep } })).toMatchObject({ allowed: false });
  });

  it("needs a token with the enforcement scope", async () => {
    const body = review(privileged());
    expect((await reviewRoute.POST(req(`${BASE}/admission/review`, { method: "POST", body }), undefined)).status).toBe(401);
    const res = await reviewRoute.POST(req(`${BASE}/admission/review`, { method: "POST", body, token: acme.reader }), undefined);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await reviewRoute.GET(req(`${BASE}/admission/review`), undefined)).status).toBe(405);
  });
});

describe("decision batches and the decision list", () => {
  const decision = (over: Record<string, unknown> = {}) => ({
    uid: crypto.randomUUID(),
    cluster: "edge-cluster",
    namespace: "shop",
    kind: "Deployment",
    name: "api",
    operation: "CREATE",
    allowed: false,
    warned: false,
    policies: ["no-privileged"],
    message: "denied by Bulwark: [no-privileged] …",
    userInfo: { username: "alice", groups: [] },
    decidedAt: new Date().toISOString(),
    violations: [{ policy: "no-privileged", severity: "CRITICAL", message: 'Container "app" is privileged', container: "app" }],
    ...over,
  });

  it("stores a batch once, lists it for readers of the organization only", async () => {
    const acme = await makeOrg();
    const globex = await makeOrg();
    const batch = { enforcementPoint: "edge-1", decisions: [decision(), decision({ name: "web", allowed: true, policies: [], violations: [] })] };
    const send = (body: unknown, token: string) => batchRoute.POST(req(`${BASE}/enforcement/decisions`, { method: "POST", body, token }), undefined);
    const first = await send(batch, acme.token);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ enforcementPoint: { name: "edge-1" }, received: 2, stored: 2, duplicates: 0 });
    expect(await (await send(batch, acme.token)).json()).toMatchObject({ stored: 0, duplicates: 2 });
    expect((await send(batch, acme.reader)).status).toBe(403);
    const bad = await send({ enforcementPoint: "edge-1", decisions: [decision({ allowed: "no" })] }, acme.token);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe("decisions.0.allowed");

    const list = async (token: string, query = "") => {
      const res = await listRoute.GET(req(`${BASE}/admission/decisions${query}`, { token }), undefined);
      return { status: res.status, body: (await res.json()) as { decisions: { name: string; allowed: boolean; enforcementPoint: { name: string } | null }[]; nextCursor: string | null } };
    };
    const mine = await list(acme.reader);
    expect(mine.status).toBe(200);
    expect(mine.body.decisions.map((d) => d.name).sort()).toEqual(["api", "web"]);
    expect((await list(acme.reader, "?allowed=false")).body.decisions.map((d) => d.name)).toEqual(["api"]);
    expect((await list(acme.reader, "?limit=1")).body.nextCursor).not.toBeNull();
    expect((await list(acme.reader, "?allowed=maybe")).status).toBe(400);
    expect((await list(acme.token)).status).toBe(403);

    // Globex sees none of Acme's decisions, and its batch with the same uids lands in Globex only.
    expect((await list(globex.reader)).body.decisions).toHaveLength(0);
    expect(await (await send(batch, globex.token)).json()).toMatchObject({ stored: 2 });
    expect(await db().admissionDecision.count({ where: { orgId: acme.org.id } })).toBe(2);
    expect((await list(globex.reader)).body.decisions).toHaveLength(2);
  });
});

it("describes the admission routes in the OpenAPI document", () => {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  expect(paths["/api/v1/admission/review"]?.post).toBeDefined();
  expect(paths["/api/v1/enforcement/decisions"]?.post).toBeDefined();
  expect(paths["/api/v1/admission/decisions"]?.get).toBeDefined();
});
