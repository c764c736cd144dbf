import "../../../../server/test-env.ts";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";

// The inventory API on the real test database: lists with their query parameters, details in their
// backwards-compatible shapes, bad parameters as problem+json with field paths, tenancy as 404s.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, params } = await import("../../../../server/route-testing.ts");
const clusters = await import("../clusters/route.ts");
const cluster = await import("../clusters/[id]/route.ts");
const namespaces = await import("../namespaces/route.ts");
const workloads = await import("./route.ts");
const workload = await import("./[id]/route.ts");
const images = await import("../images/route.ts");
const image = await import("../images/[id]/route.ts");

const BASE = "http://localhost:3000/api/v1";

afterAll(async () => {
  await db().$disconnect();
});

async function estate(orgId: string) {
  const c = await db().cluster.create({ data: { orgId, name: "prod", lastReportAt: new Date() } });
  const ns = await db().namespace.create({ data: { orgId, clusterId: c.id, name: "shop" } });
  const img = await db().image.create({ data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: "acme/api", tags: ["1.0"] } });
  const w = await db().workload.create({ data: { orgId, clusterId: c.id, namespaceId: ns.id, kind: "Deployment", name: "api", podSpec: { containers: [{ name: "app", image: "ghcr.io/acme/api:1.0" }] }, riskScore: 50 } });
  await db().container.create({ data: { orgId, workloadId: w.id, name: "app", imageRef: "ghcr.io/acme/api:1.0", imageId: img.id } });
  await db().finding.create({ data: { orgId, fingerprint: randomBytes(8).toString("hex"), type: "VULNERABILITY", severity: "CRITICAL", title: "t", ruleId: "CVE-2031-1", source: "test", imageId: img.id, fixable: true } });
  return { c, ns, img, w };
}

describe("inventory API", () => {
  it("lists clusters, namespaces, workloads and images with counts, and answers details", async () => {
    const { org, user } = await makeOrgWith("VIEWER", "inv-api");
    session.userId = user.id;
    const { c, img, w } = await estate(org.id);

    const cl = await clusters.GET(req(`${BASE}/clusters?sort=critical`), undefined);
    expect(cl.status).toBe(200);
    expect(await cl.json()).toMatchObject({ items: [{ id: c.id, name: "prod", stale: false, workloads: 1, openFindings: { CRITICAL: 1, total: 1 } }], nextCursor: null });
    const ns = (await (await namespaces.GET(req(`${BASE}/namespaces?cluster=prod`), undefined)).json()) as { items: { name: string; workloads: number }[] };
    expect(ns.items).toMatchObject([{ name: "shop", workloads: 1 }]);
    const wl = (await (await workloads.GET(req(`${BASE}/workloads?cluster=prod&namespace=shop&minRisk=50&pssLevel=`), undefined)).json()) as { items: { id: string }[] };
    expect(wl.items.map((x) => x.id)).toEqual([w.id]);
    const im = (await (await images.GET(req(`${BASE}/images?fixableCritical=true&running=true`), undefined)).json()) as { items: { id: string; fixableCritical: number }[] };
    expect(im.items).toMatchObject([{ id: img.id, fixableCritical: 1 }]);

    const cd = await cluster.GET(req(`${BASE}/clusters/${c.id}`), params({ id: c.id }));
    expect(await cd.json()).toMatchObject({ id: c.id, name: "prod", _count: { workloads: 1, namespaces: 1 }, openFindings: { CRITICAL: 1 }, enforcementPoints: [], stale: false });
    const wd = (await (await workload.GET(req(`${BASE}/workloads/${w.id}`), params({ id: w.id }))).json()) as { specYaml: string; containers: { image: { id: string } }[]; policyResults: unknown };
    expect(wd.containers[0]!.image.id).toBe(img.id);
    expect(wd.specYaml).toContain("kind: Deployment");
    expect(wd.policyResults).toBeNull();
    const id = await image.GET(req(`${BASE}/images/${img.id}?packageLimit=10`), params({ id: img.id }));
    expect(await id.json()).toMatchObject({ id: img.id, ref: "ghcr.io/acme/api", openFindings: { CRITICAL: 1 }, fixableFindings: { CRITICAL: 1 }, runsIn: { workloadCount: 1 } });
  });

  it("refuses bad parameters with field paths, other methods with 405, and another org's ids with 404", async () => {
    const { org } = await makeOrgWith("OWNER", "inv-a");
    const { c, img, w } = await estate(org.id);
    const { user } = await makeOrgWith("OWNER", "inv-b");
    session.userId = user.id;

    const bad = await workloads.GET(req(`${BASE}/workloads?minRisk=abc&sort=orgId`), undefined);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const body = (await bad.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.errors.map((e) => e.path).sort()).toEqual(["minRisk", "sort"]);
    expect((await images.GET(req(`${BASE}/images?cursor=zzz`), undefined)).status).toBe(400);
    expect((await clusters.DELETE(req(`${BASE}/clusters`, { method: "DELETE" }), undefined)).status).toBe(405);

    for (const [handler, id, path] of [
      [cluster.GET, c.id, "clusters"],
      [workload.GET, w.id, "workloads"],
      [image.GET, img.id, "images"],
    ] as const) {
      const res = await handler(req(`${BASE}/${path}/${id}`), params({ id }));
      expect(res.status).toBe(404);
    }
    expect(await (await clusters.GET(req(`${BASE}/clusters`), undefined)).json()).toEqual({ items: [], nextCursor: null });
    session.userId = null;
    expect((await images.GET(req(`${BASE}/images`), undefined)).status).toBe(401);
  });
});
