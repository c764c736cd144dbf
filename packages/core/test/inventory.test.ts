import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { getClusterDetail } from "../src/use-cases/get-cluster-detail.ts";
import { getImageDetail } from "../src/use-cases/get-image-detail.ts";
import { getWorkloadDetail } from "../src/use-cases/get-workload-detail.ts";
import { listClusters } from "../src/use-cases/list-clusters.ts";
import { listImages } from "../src/use-cases/list-images.ts";
import { listNamespaces } from "../src/use-cases/list-namespaces.ts";
import { listWorkloads } from "../src/use-cases/list-workloads.ts";
import { caught, makeMember, makeOrg, testDb, userCtx } from "./helpers.ts";
import { cluster, findings, image, namespace, workload } from "./inventory-helpers.ts";

// Inventory lists and detail pages on the real database: counts come from FindingTally (kept by the
// triggers on Finding), filters and sorts are applied server-side, keyset pages neither skip nor repeat
// rows, bad parameters are VALIDATION_FAILED with field paths, and another organization's ids are 404s.

let db: Db;
let ctx: OrgContext;
let other: OrgContext;
let e: Awaited<ReturnType<typeof buildEstate>>;

async function buildEstate(orgId: string) {
  const prod = await cluster(db, orgId, "prod");
  const stage = await cluster(db, orgId, "stage", new Date(Date.now() - 2 * 3600_000));
  const empty = await cluster(db, orgId, "empty", null);
  const shop = await namespace(db, orgId, prod.id, "shop");
  const payments = await namespace(db, orgId, prod.id, "payments");
  const stageShop = await namespace(db, orgId, stage.id, "shop");
  const api = await image(db, orgId, "acme/api", { signatureVerified: true, malwareVerdict: "clean", tags: ["2.1.0"] });
  const nginx = await image(db, orgId, "library/nginx", { registryHost: "docker.io", signatureVerified: false, tags: ["1.25"] });
  const unused = await image(db, orgId, "acme/unused", { malwareVerdict: "malicious" });
  await findings(db, orgId, 2, { severity: "CRITICAL", imageId: api.id, fixable: true });
  await findings(db, orgId, 1, { severity: "HIGH", imageId: api.id });
  await findings(db, orgId, 1, { severity: "CRITICAL", imageId: api.id, status: "RESOLVED" });
  await findings(db, orgId, 1, { severity: "CRITICAL", imageId: nginx.id });
  await findings(db, orgId, 3, { severity: "LOW", imageId: nginx.id });
  await findings(db, orgId, 5, { severity: "MEDIUM", imageId: unused.id });
  const wApi = await workload(db, orgId, shop, "api", { imageIds: [api.id], riskScore: 80, pssLevel: "privileged", exposed: true });
  const wWeb = await workload(db, orgId, shop, "web", { imageIds: [nginx.id, api.id], riskScore: 40, pssLevel: "baseline" });
  const wPay = await workload(db, orgId, payments, "ledger", { kind: "StatefulSet", imageIds: [nginx.id], riskScore: 10, pssLevel: "restricted" });
  const wOld = await workload(db, orgId, shop, "old", { imageIds: [unused.id], deleted: true });
  const wStage = await workload(db, orgId, stageShop, "api", { imageIds: [nginx.id], riskScore: 60 });
  await findings(db, orgId, 1, { severity: "HIGH", type: "MISCONFIGURATION", workloadId: wApi.id, clusterId: prod.id });
  await findings(db, orgId, 1, { severity: "CRITICAL", type: "POLICY_VIOLATION", clusterId: stage.id });
  return { prod, stage, empty, shop, payments, stageShop, api, nginx, unused, wApi, wWeb, wPay, wOld, wStage };
}

beforeAll(async () => {
  db = testDb();
  const org = await makeOrg(db, "inv");
  const { user } = await makeMember(db, org.id, "VIEWER");
  ctx = userCtx(org.id, user, "VIEWER");
  const org2 = await makeOrg(db, "inv-other");
  const { user: u2 } = await makeMember(db, org2.id, "OWNER");
  other = userCtx(org2.id, u2, "OWNER");
  e = await buildEstate(org.id);
});
afterAll(async () => {
  await db.$disconnect();
});

/** Every page of a list, following nextCursor. */
async function all<T extends { id: string }>(list: (q: Record<string, unknown>) => Promise<{ items: T[]; nextCursor: string | null }>, q: Record<string, unknown>) {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await list({ ...q, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

describe("listClusters", () => {
  it("counts findings from the tally (own rows plus running images), flags stale clusters and sorts", async () => {
    const page = await listClusters(db, ctx, { sort: "critical" });
    expect(page.items.map((c) => c.name)).toEqual(["prod", "stage", "empty"]);
    const [prod, stage, empty] = page.items;
    expect(prod).toMatchObject({ namespaces: 2, workloads: 3, stale: false, openFindings: { CRITICAL: 3, HIGH: 2, LOW: 3, MEDIUM: 0, total: 7 + 1 } });
    expect(stage).toMatchObject({ workloads: 1, stale: true, openFindings: { CRITICAL: 2, LOW: 3, total: 5 } });
    expect(empty).toMatchObject({ workloads: 0, stale: true, openFindings: { total: 0 } });
    expect((await listClusters(db, ctx, { q: "STA" })).items.map((c) => c.name)).toEqual(["stage"]);
    expect((await listClusters(db, ctx, {})).items.map((c) => c.name)).toEqual(["empty", "prod", "stage"]);
  });

  it("pages with a cursor and refuses bad parameters with field paths", async () => {
    const names = (await all((q) => listClusters(db, ctx, q), { sort: "findings", limit: 1 })).map((c) => c.name);
    expect(names).toEqual(["prod", "stage", "empty"]);
    expect((await caught(listClusters(db, ctx, { sort: "orgId" }))).fields?.[0]?.path).toBe("sort");
    expect((await caught(listClusters(db, ctx, { cursor: "not-a-cursor" }))).fields?.[0]?.path).toBe("cursor");
    expect((await caught(listClusters(db, ctx, { limit: "500" }))).code).toBe("VALIDATION_FAILED");
  });

  it("shows another organization nothing", async () => {
    expect((await listClusters(db, other, {})).items).toEqual([]);
  });
});

describe("listNamespaces", () => {
  it("filters by cluster and counts images plus the workloads' own findings", async () => {
    const rows = (await listNamespaces(db, ctx, { cluster: "prod" })).items;
    expect(rows.map((n) => n.name)).toEqual(["payments", "shop"]);
    expect(rows[1]).toMatchObject({ workloads: 2, cluster: { name: "prod" }, openFindings: { CRITICAL: 3, HIGH: 2, LOW: 3, total: 8 } });
    expect(rows[0]).toMatchObject({ workloads: 1, openFindings: { total: 4 } });
    const byWorkloads = await all((q) => listNamespaces(db, ctx, q), { sort: "workloads", limit: 1 });
    expect(byWorkloads.map((n) => `${n.cluster.name}/${n.name}`)).toEqual(expect.arrayContaining(["prod/shop", "prod/payments", "stage/shop"]));
    expect(byWorkloads[0]!.name).toBe("shop");
    expect(byWorkloads).toHaveLength(3);
  });
});

describe("listWorkloads", () => {
  it("sorts by risk by default and pages without gaps or repeats", async () => {
    const page = await listWorkloads(db, ctx, { limit: 2 });
    expect(page.items.map((w) => w.riskScore)).toEqual([80, 60]);
    expect(page.nextCursor).not.toBeNull();
    const rows = await all((q) => listWorkloads(db, ctx, q), { limit: 2 });
    expect(rows.map((w) => w.id)).toEqual([e.wApi.id, e.wStage.id, e.wWeb.id, e.wPay.id]);
    const byName = await all((q) => listWorkloads(db, ctx, q), { sort: "name", limit: 1 });
    expect(byName.map((w) => w.name)).toEqual(["api", "api", "ledger", "web"]);
    const api = rows[0]!;
    expect(api).toMatchObject({ exposed: true, containers: 1, pssLevel: "privileged", cluster: { name: "prod" }, namespace: { name: "shop" }, openFindings: { CRITICAL: 2, HIGH: 2, total: 4 } });
    expect(rows[2]!.openFindings).toMatchObject({ CRITICAL: 3, HIGH: 1, LOW: 3, total: 7 });
  });

  it("applies every filter", async () => {
    const names = async (q: Record<string, unknown>) => (await listWorkloads(db, ctx, { ...q, sort: "name" })).items.map((w) => `${w.cluster.name}/${w.name}`);
    expect(await names({ cluster: "prod" })).toEqual(["prod/api", "prod/ledger", "prod/web"]);
    expect(await names({ namespace: "shop" })).toEqual(["prod/api", "stage/api", "prod/web"]);
    expect(await names({ cluster: "stage", namespace: "shop" })).toEqual(["stage/api"]);
    expect(await names({ kind: "StatefulSet" })).toEqual(["prod/ledger"]);
    expect(await names({ pssLevel: "unevaluated" })).toEqual(["stage/api"]);
    expect(await names({ pssLevel: "baseline" })).toEqual(["prod/web"]);
    expect(await names({ minRisk: "50" })).toEqual(["prod/api", "stage/api"]);
    expect(await names({ exposed: "true" })).toEqual(["prod/api"]);
    expect(await names({ exposed: "false" })).toEqual(["stage/api", "prod/ledger", "prod/web"]);
    expect(await names({ deleted: "true" })).toEqual(["prod/old"]);
    expect(await names({ q: "WE" })).toEqual(["prod/web"]);
  });

  it("refuses bad values with their field paths", async () => {
    const err = await caught(listWorkloads(db, ctx, { minRisk: "high", pssLevel: "root", exposed: "maybe" }));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.fields?.map((f) => f.path).sort()).toEqual(["exposed", "minRisk", "pssLevel"]);
    expect((await caught(listWorkloads(db, ctx, { sort: "name", cursor: Buffer.from(JSON.stringify([1, "x"])).toString("base64url") }))).fields?.[0]?.path).toBe("cursor");
    expect((await listWorkloads(db, other, {})).items).toEqual([]);
  });
});

describe("listImages", () => {
  it("sorts by critical findings and counts from the tally", async () => {
    const rows = (await listImages(db, ctx, {})).items;
    expect(rows.map((i) => i.repository)).toEqual(["acme/api", "library/nginx", "acme/unused"]);
    expect(rows[0]).toMatchObject({ running: true, workloads: 2, fixableCritical: 2, openFindings: { CRITICAL: 2, HIGH: 1, total: 3 } });
    expect(rows[2]).toMatchObject({ running: false, workloads: 0, openFindings: { MEDIUM: 5, total: 5 } });
    const paged = await all((q) => listImages(db, ctx, q), { sort: "findings", limit: 1 });
    expect(paged.map((i) => i.repository)).toEqual(["acme/unused", "library/nginx", "acme/api"]);
    const byRepo = await all((q) => listImages(db, ctx, q), { sort: "repository", dir: "desc", limit: 2 });
    expect(byRepo.map((i) => `${i.registryHost}/${i.repository}`)).toEqual(["ghcr.io/acme/unused", "ghcr.io/acme/api", "docker.io/library/nginx"]);
    const byScan = await all((q) => listImages(db, ctx, q), { sort: "lastScanned", limit: 1 });
    expect(byScan).toHaveLength(3);
  });

  it("applies every filter", async () => {
    const repos = async (q: Record<string, unknown>) => (await listImages(db, ctx, { ...q, sort: "repository" })).items.map((i) => i.repository);
    expect(await repos({ fixableCritical: "true" })).toEqual(["acme/api"]);
    expect(await repos({ fixableCritical: "false" })).toEqual(["library/nginx", "acme/unused"]);
    expect(await repos({ running: "false" })).toEqual(["acme/unused"]);
    expect(await repos({ running: "1" })).toEqual(["library/nginx", "acme/api"]);
    expect(await repos({ signature: "verified" })).toEqual(["acme/api"]);
    expect(await repos({ signature: "unknown" })).toEqual(["acme/unused"]);
    expect(await repos({ malware: "malicious" })).toEqual(["acme/unused"]);
    expect(await repos({ malware: "unknown" })).toEqual(["library/nginx"]);
    expect(await repos({ registry: "docker.io" })).toEqual(["library/nginx"]);
    expect(await repos({ q: "ghcr.io/acme/a" })).toEqual(["acme/api"]);
    expect(await repos({ q: "1.25" })).toEqual(["library/nginx"]);
    expect(await repos({ q: "%" })).toEqual([]);
    const err = await caught(listImages(db, ctx, { signature: "yes", sort: "digest" }));
    expect(err.fields?.map((f) => f.path).sort()).toEqual(["signature", "sort"]);
  });
});

describe("details", () => {
  it("workload: YAML spec, containers, counts, policy results read defensively, runtime events and admission history", async () => {
    const before = await getWorkloadDetail(db, ctx, e.wApi.id);
    expect(before.specYaml).toContain("kind: Deployment");
    expect(before.specYaml).toContain("name: api");
    expect(before.specYaml).toContain("namespace: shop");
    expect(before.policyResults).toBeNull();
    expect(before.containers[0]).toMatchObject({ name: "c0", image: { id: e.api.id }, openFindings: { total: 3 } });
    expect(before.imageVulnerabilities).toMatchObject({ CRITICAL: 2, HIGH: 1, total: 3 });
    expect(before.ownFindings).toMatchObject({ HIGH: 1, total: 1 });
    expect(before.exposure).toEqual([{ service: "api-lb", type: "LoadBalancer", ports: [443] }]);
    // Backwards compatible with the previous GET /api/v1/workloads/{id} answer.
    expect(before).toMatchObject({ id: e.wApi.id, cluster: { name: "prod" }, namespace: { name: "shop" } });

    await db.workload.update({
      where: { id: e.wApi.id },
      data: {
        evaluatedAt: new Date(),
        policyResults: [{ policy: "no-privileged", title: "No privileged", severity: "HIGH", category: "pss", result: "fail", message: "privileged: true" }, { nonsense: 1 }, "x"],
        riskFactors: [{ key: "exposure", points: 10, reason: "exposed" }, { key: "fixable-critical", points: 30, reason: "2 fixable critical" }, { bad: true }],
      },
    });
    await db.runtimeEvent.createMany({
      data: [1, 2].map((i) => ({ orgId: ctx.orgId, clusterId: e.prod.id, workloadId: e.wApi.id, rule: `rule-${i}`, priority: "Warning", source: "syscall", output: "o", time: new Date(Date.now() - i * 1000) })),
    });
    await db.admissionDecision.create({
      data: { orgId: ctx.orgId, clusterId: e.prod.id, namespace: "shop", kind: "Deployment", name: "api", operation: "CREATE", allowed: false, policies: ["no-privileged"], decidedAt: new Date() },
    });
    const after = await getWorkloadDetail(db, ctx, e.wApi.id);
    expect(after.policyResults).toEqual([{ policy: "no-privileged", title: "No privileged", severity: "HIGH", category: "pss", result: "fail", message: "privileged: true" }]);
    expect(after.riskFactorsExplained.map((f) => f.key)).toEqual(["fixable-critical", "exposure"]);
    expect(after.runtimeEvents.map((r) => r.rule)).toEqual(["rule-1", "rule-2"]);
    expect(after.admissionDecisions).toHaveLength(1);
    expect(after.admissionDecisions[0]).toMatchObject({ allowed: false, policies: ["no-privileged"] });
  });

  it("image: packages paged, findings by severity and fixability, where it runs, registry trust", async () => {
    await db.imagePackage.createMany({ data: ["openssl", "zlib", "curl"].map((name) => ({ imageId: e.api.id, ecosystem: "debian", name, version: "1.0" })) });
    const first = await getImageDetail(db, ctx, e.api.id, { packageLimit: "2" });
    expect(first.packages.items.map((p) => p.name)).toEqual(["curl", "openssl"]);
    expect(first.packages.total).toBe(3);
    const second = await getImageDetail(db, ctx, e.api.id, { packageLimit: "2", packageCursor: first.packages.nextCursor });
    expect(second.packages.items.map((p) => p.name)).toEqual(["zlib"]);
    expect(second.packages.nextCursor).toBeNull();
    expect((await getImageDetail(db, ctx, e.api.id, { packageQ: "SSL" })).packages.items.map((p) => p.name)).toEqual(["openssl"]);
    expect(first.openFindings).toMatchObject({ CRITICAL: 2, HIGH: 1, total: 3 });
    expect(first.fixableFindings).toMatchObject({ CRITICAL: 2, HIGH: 0, total: 2 });
    expect(first.runsIn.workloadCount).toBe(2);
    expect(first.runsIn.clusters).toEqual([{ id: e.prod.id, name: "prod", workloads: 2 }]);
    expect(first.trust.trusted).toBeNull();
    await db.registry.create({ data: { orgId: ctx.orgId, name: "ghcr-acme", host: "ghcr.io/acme", trusted: true } });
    expect((await getImageDetail(db, ctx, e.api.id)).trust).toMatchObject({ trusted: true, trustedRegistries: ["ghcr.io/acme"] });
    expect((await getImageDetail(db, ctx, e.nginx.id)).trust.trusted).toBe(false);
    expect((await caught(getImageDetail(db, ctx, e.api.id, { packageCursor: e.nginx.id }))).fields?.[0]?.path).toBe("packageCursor");
  });

  it("cluster: posture, PSS levels, namespaces, enforcement points and staleness", async () => {
    await db.enforcementPoint.create({ data: { orgId: ctx.orgId, clusterId: e.prod.id, name: `prod-enforcer-${e.prod.id}`, bundleVersion: 1, lastHeartbeatAt: new Date() } });
    const d = await getClusterDetail(db, ctx, e.prod.id);
    expect(d).toMatchObject({ id: e.prod.id, name: "prod", stale: false, workloadCount: 3, namespaceCount: 2, _count: { workloads: 3, namespaces: 2 } });
    expect(d.openFindings).toMatchObject({ CRITICAL: 3, HIGH: 2, LOW: 3, total: 8 });
    expect(d.pssLevels).toEqual({ restricted: 1, baseline: 1, privileged: 1, unevaluated: 0 });
    expect(d.namespaces.map((n) => [n.name, n.workloads, n.openFindings.total])).toEqual([
      ["payments", 1, 4],
      ["shop", 2, 8],
    ]);
    expect(d.enforcementPoints).toHaveLength(1);
    expect((await getClusterDetail(db, ctx, e.stage.id)).stale).toBe(true);
  });

  it("another organization's ids are 404s", async () => {
    expect((await caught(getClusterDetail(db, other, e.prod.id))).code).toBe("NOT_FOUND");
    expect((await caught(getWorkloadDetail(db, other, e.wApi.id))).code).toBe("NOT_FOUND");
    expect((await caught(getImageDetail(db, other, e.api.id))).code).toBe("NOT_FOUND");
  });
});
