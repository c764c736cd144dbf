import "../../../../../../server/test-env.ts";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";

// GET /api/v1/clusters/{name}/policyreports on the real test database: a read token or a session, JSON
// or YAML, bad query parameters named, and another organization's cluster a 404.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { createApiTokenForOrg, evaluateWorkloads } = await import("@bulwark/core");
const { db } = await import("../../../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, params, uid } = await import("../../../../../../server/route-testing.ts");
const reports = await import("./route.ts");
const { openApiDocument } = await import("../../../../../../server/openapi.ts");

const BASE = "http://localhost:3000/api/v1/clusters";

afterAll(async () => {
  await db().$disconnect();
});

async function evaluatedCluster(orgId: string) {
  const cluster = await db().cluster.create({ data: { orgId, name: `prod-${uid()}` } });
  const ns = await db().namespace.create({ data: { orgId, clusterId: cluster.id, name: "shop" } });
  await db().workload.create({
    data: { orgId, clusterId: cluster.id, namespaceId: ns.id, kind: "Deployment", name: "agent", uid: "u-1", podSpec: { containers: [{ name: "agent", image: "nginx:1.27", securityContext: { privileged: true } }] } },
  });
  await evaluateWorkloads(db(), orgId);
  return cluster;
}

describe("GET /api/v1/clusters/{name}/policyreports", () => {
  it("answers the PolicyReports with a read token, as JSON or YAML", async () => {
    const { org } = await makeOrgWith("OWNER", "polr");
    const cluster = await evaluatedCluster(org.id);
    const token = await createApiTokenForOrg(db(), org.slug, { name: "reporter", scopes: ["read"] }, "test");
    const res = await reports.GET(req(`${BASE}/${cluster.name}/policyreports`, { token: token.token }), params({ id: cluster.name }));
    expect(res.status).toBe(200);
    const list = (await res.json()) as { kind: string; items: Array<{ apiVersion: string; kind: string; metadata: { name: string; namespace: string }; summary: Record<string, number>; results: Array<{ policy: string; result: string }> }> };
    expect(list.kind).toBe("List");
    expect(list.items.map((r) => [r.apiVersion, r.kind, r.metadata.name, r.metadata.namespace])).toEqual([["wgpolicyk8s.io/v1alpha2", "PolicyReport", "bulwark-shop", "shop"]]);
    expect(list.items[0]!.results.find((r) => r.policy === "no-privileged")?.result).toBe("fail");
    expect(list.items[0]!.summary.fail).toBeGreaterThan(0);

    const yaml = await reports.GET(req(`${BASE}/${cluster.name}/policyreports?format=yaml`, { token: token.token }), params({ id: cluster.name }));
    expect(yaml.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(parse(await yaml.text())).toEqual(list);

    const bad = await reports.GET(req(`${BASE}/${cluster.name}/policyreports?format=xml`, { token: token.token }), params({ id: cluster.name }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(["format"]);
    const ingest = await createApiTokenForOrg(db(), org.slug, { name: "connector", scopes: ["ingest"] }, "test");
    expect((await reports.GET(req(`${BASE}/${cluster.name}/policyreports`, { token: ingest.token }), params({ id: cluster.name }))).status).toBe(403);
  });

  it("another organization's cluster is a 404 for a signed-in member", async () => {
    const { org } = await makeOrgWith("OWNER", "polr");
    const cluster = await evaluatedCluster(org.id);
    const viewer = await makeOrgWith("VIEWER", "polr");
    session.userId = viewer.user.id;
    const res = await reports.GET(req(`${BASE}/${cluster.name}/policyreports`), params({ id: cluster.name }));
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    session.userId = null;
  });

  it("is described in the OpenAPI document, JSON and YAML", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    const op = doc.paths["/api/v1/clusters/{name}/policyreports"]?.get;
    expect(Object.keys(op?.responses["200"]?.content ?? {})).toEqual(["application/json", "application/yaml"]);
  });
});
