import "../../server/test-env.ts";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";

// GET /metrics and GET /api/v1/compliance on the real test database: token scopes, the Prometheus text
// exposition parsed back with exact values, and another organization's data never in the answer.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { createApiTokenForOrg } = await import("@bulwark/core");
const { db } = await import("../../server/db.ts");
const { apiRequest: req, makeOrgWith } = await import("../../server/route-testing.ts");
const metrics = await import("./route.ts");
const compliance = await import("../api/v1/compliance/route.ts");
const { openApiDocument } = await import("../../server/openapi.ts");

afterAll(async () => {
  await db().$disconnect();
});

const REPORTED = new Date(Date.now() - 5 * 60_000);

async function estate(orgId: string, clusterName: string) {
  const c = await db().cluster.create({ data: { orgId, name: clusterName, lastReportAt: REPORTED } });
  const ns = await db().namespace.create({ data: { orgId, clusterId: c.id, name: "shop" } });
  const img = await db().image.create({
    data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: "acme/api", tags: ["1.0"], lastScannedAt: new Date() },
  });
  const workload = (name: string, pssLevel: string, nonRoot: boolean) =>
    db().workload.create({ data: { orgId, clusterId: c.id, namespaceId: ns.id, kind: "Deployment", name, podSpec: {}, pssLevel, nonRoot, readOnlyRootFs: false, trustedImages: true } });
  const api = await workload("api", "restricted", true);
  await workload("worker", "privileged", false);
  await db().container.create({ data: { orgId, workloadId: api.id, name: "app", imageRef: "ghcr.io/acme/api:1.0", imageId: img.id } });
  await db().enforcementPoint.create({ data: { orgId, name: `ep-${clusterName}`, clusterId: c.id, lastHeartbeatAt: new Date() } });
  const finding = (data: { type: "VULNERABILITY" | "RUNTIME"; severity: "CRITICAL" | "HIGH"; imageId?: string; clusterId?: string; mitreTechniques?: string[] }) =>
    db().finding.create({ data: { orgId, fingerprint: randomBytes(8).toString("hex"), title: "t", ruleId: "r", source: "test", ...data } });
  await finding({ type: "VULNERABILITY", severity: "CRITICAL", imageId: img.id });
  await finding({ type: "VULNERABILITY", severity: "CRITICAL", imageId: img.id });
  await finding({ type: "RUNTIME", severity: "HIGH", clusterId: c.id, mitreTechniques: ["T1611"] });
}

/** name{k="v",...} → value, label pairs sorted, comments skipped. */
function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels = [...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    out.set(`${m[1]}{${labels.join(",")}}`, Number(m[3]));
  }
  return out;
}

async function tokenFor(slug: string, scopes: Array<"metrics" | "read" | "ingest">) {
  return (await createApiTokenForOrg(db(), slug, { name: `t-${randomBytes(3).toString("hex")}`, scopes })).token;
}

describe("GET /metrics", () => {
  it("is a 401 problem without a token and a 403 with a token lacking the metrics scope", async () => {
    const { org } = await makeOrgWith("ADMIN", "metrics");
    const none = await metrics.GET(req("http://localhost:3000/metrics"), undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe("application/problem+json");
    const bad = await metrics.GET(req("http://localhost:3000/metrics", { token: "bwk_not-a-real-token" }), undefined);
    expect(bad.status).toBe(401);
    const readOnly = await metrics.GET(req("http://localhost:3000/metrics", { token: await tokenFor(org.slug, ["read"]) }), undefined);
    expect(readOnly.status).toBe(403);
    expect(readOnly.headers.get("content-type")).toBe("application/problem+json");
    expect(((await readOnly.json()) as { detail: string }).detail).toContain("metrics");
  });

  it("answers the organization's gauges in the text exposition format, and nothing of another organization", async () => {
    const { org } = await makeOrgWith("ADMIN", "metrics");
    await estate(org.id, "prod");
    const other = await makeOrgWith("ADMIN", "metrics-other");
    await estate(other.org.id, "globex-only");

    const res = await metrics.GET(req("http://localhost:3000/metrics", { token: await tokenFor(org.slug, ["metrics"]) }), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("# TYPE bulwark_open_findings gauge");
    expect(text).not.toContain("globex-only");
    const values = Object.fromEntries(parseExposition(text));
    expect(values).toEqual({
      'bulwark_open_findings{cluster="prod",severity="CRITICAL",type="VULNERABILITY"}': 2,
      'bulwark_open_findings{cluster="prod",severity="HIGH",type="RUNTIME"}': 1,
      // 2 critical + 1 high over 2 workloads: 100 / (1 + 25 / 20).
      "bulwark_posture_score{}": 44,
      'bulwark_workloads{cluster="prod"}': 2,
      'bulwark_practice_compliance_ratio{cluster="prod",practice="trustedImages"}': 1,
      'bulwark_practice_compliance_ratio{cluster="prod",practice="scanning"}': 0.5,
      'bulwark_practice_compliance_ratio{cluster="prod",practice="nonRoot"}': 0.5,
      'bulwark_practice_compliance_ratio{cluster="prod",practice="readOnlyRootFs"}': 0,
      'bulwark_practice_compliance_ratio{cluster="prod",practice="enforcement"}': 1,
      'bulwark_pss_pass_ratio{cluster="prod",level="baseline"}': 0.5,
      'bulwark_pss_pass_ratio{cluster="prod",level="restricted"}': 0.5,
      'bulwark_connector_last_report_timestamp_seconds{cluster="prod"}': REPORTED.getTime() / 1000,
      'bulwark_connector_stale{cluster="prod"}': 0,
      'bulwark_enforcement_points{cluster="prod",health="healthy"}': 1,
      'bulwark_enforcement_points{cluster="prod",health="stale"}': 0,
      'bulwark_enforcement_points{cluster="prod",health="never"}': 0,
    });
  });
});

describe("GET /api/v1/compliance", () => {
  it("answers a read token and a session user with their own organization's numbers; an unknown cluster is a 404", async () => {
    const viewer = await makeOrgWith("VIEWER", "compliance");
    await estate(viewer.org.id, "prod");
    const other = await makeOrgWith("ADMIN", "compliance-other");
    await estate(other.org.id, "globex-only");

    const asToken = await compliance.GET(req("http://localhost:3000/api/v1/compliance", { token: await tokenFor(viewer.org.slug, ["read"]) }), undefined);
    expect(asToken.status).toBe(200);
    const body = (await asToken.json()) as { summary: { workloads: number; pss: { baselineRatio: number } }; clusters: Array<{ name: string }>; attack: { tactics: Array<{ name: string; techniques: Array<{ id: string; open: number }> }> } };
    expect(body.summary.workloads).toBe(2);
    expect(body.summary.pss.baselineRatio).toBe(0.5);
    expect(body.clusters.map((c) => c.name)).toEqual(["prod"]);
    expect(body.attack.tactics.find((t) => t.name === "Privilege Escalation")!.techniques.find((t) => t.id === "T1611")!.open).toBe(1);

    expect((await compliance.GET(req("http://localhost:3000/api/v1/compliance", { token: await tokenFor(viewer.org.slug, ["metrics"]) }), undefined)).status).toBe(403);

    session.userId = viewer.user.id;
    const mine = await compliance.GET(req("http://localhost:3000/api/v1/compliance?cluster=prod"), undefined);
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { cluster: string }).cluster).toBe("prod");
    const foreign = await compliance.GET(req("http://localhost:3000/api/v1/compliance?cluster=globex-only"), undefined);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("content-type")).toBe("application/problem+json");
    session.userId = null;
  });
});

describe("OpenAPI", () => {
  it("describes both endpoints with their security and error answers", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, { get?: { security?: unknown[]; responses: Record<string, unknown> } }> };
    for (const path of ["/metrics", "/api/v1/compliance"]) {
      const op = doc.paths[path]?.get;
      expect(op?.security, path).toEqual([{ bearer: [] }]);
      expect(Object.keys(op?.responses ?? {}), path).toEqual(expect.arrayContaining(["200", "401", "403"]));
    }
    expect(Object.keys((doc.paths["/metrics"]!.get!.responses["200"] as { content: Record<string, unknown> }).content)).toEqual(["text/plain; version=0.0.4; charset=utf-8"]);
  });
});
