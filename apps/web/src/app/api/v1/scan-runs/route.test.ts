import "../../../../server/test-env.ts";
import { afterAll, describe, expect, it, vi } from "vitest";

// Vulnerability management routes on the real test database: re-match runs (roles, tenancy, the queued
// run), the full re-match schedule (validation with field paths, audit), the advisory store search and
// fix leverage computed from stored findings.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, params, uid } = await import("../../../../server/route-testing.ts");
const runs = await import("./route.ts");
const run = await import("./[id]/route.ts");
const schedule = await import("../settings/rescan-schedule/route.ts");
const advisories = await import("../advisories/route.ts");
const advisory = await import("../advisories/[id]/route.ts");
const leverage = await import("../vulnerabilities/fix-leverage/route.ts");

const BASE = "http://localhost:3000/api/v1";

afterAll(async () => {
  await db().$disconnect();
});

describe("re-match runs", () => {
  it("an analyst starts one (queued, audited); a viewer reads but cannot start; another org's run is a 404", async () => {
    const analyst = await makeOrgWith("ANALYST", "scans");
    session.userId = analyst.user.id;
    const started = await runs.POST(req(`${BASE}/scan-runs`, { method: "POST", body: { kind: "FULL" } }), undefined);
    expect(started.status).toBe(202);
    const body = (await started.json()) as { id: string; kind: string; status: string; trigger: string };
    expect(body).toMatchObject({ kind: "FULL", status: "QUEUED", trigger: `user:${analyst.user.email}` });
    expect(await db().auditLog.count({ where: { orgId: analyst.org.id, action: "scan_run.started", targetId: body.id } })).toBe(1);
    const listed = (await (await runs.GET(req(`${BASE}/scan-runs`), undefined)).json()) as { items: Array<{ id: string }> };
    expect(listed.items.map((r) => r.id)).toEqual([body.id]);
    expect((await run.GET(req(`${BASE}/scan-runs/${body.id}`), params({ id: body.id }))).status).toBe(200);

    const bad = await runs.POST(req(`${BASE}/scan-runs`, { method: "POST", body: { kind: "IMAGE" } }), undefined);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(["targetId"]);
    const missing = await runs.POST(req(`${BASE}/scan-runs`, { method: "POST", body: { kind: "CLUSTER", targetId: "nope" } }), undefined);
    expect(missing.status).toBe(404);

    const viewer = await makeOrgWith("VIEWER", "scans");
    session.userId = viewer.user.id;
    expect((await runs.POST(req(`${BASE}/scan-runs`, { method: "POST", body: { kind: "FULL" } }), undefined)).status).toBe(403);
    expect((await run.GET(req(`${BASE}/scan-runs/${body.id}`), params({ id: body.id }))).status).toBe(404);
    expect(((await (await runs.GET(req(`${BASE}/scan-runs`), undefined)).json()) as { items: unknown[] }).items).toEqual([]);
  });
});

describe("full re-match schedule", () => {
  it("an admin sets a cron (audited); a bad pattern is a 400 naming the field; an analyst cannot change it", async () => {
    const admin = await makeOrgWith("ADMIN", "schedule");
    session.userId = admin.user.id;
    expect(((await (await schedule.GET(req(`${BASE}/settings/rescan-schedule`), undefined)).json()) as { cron: string }).cron).toBe("0 3 * * *");
    const set = await schedule.PUT(req(`${BASE}/settings/rescan-schedule`, { method: "PUT", body: { cron: "30  */6 * * *" } }), undefined);
    expect(set.status).toBe(200);
    expect(((await set.json()) as { cron: string }).cron).toBe("30 */6 * * *");
    const audit = await db().auditLog.findFirstOrThrow({ where: { orgId: admin.org.id, action: "rescan_schedule.updated" } });
    expect(audit.metadata).toEqual({ from: "0 3 * * *", to: "30 */6 * * *" });
    const bad = await schedule.PUT(req(`${BASE}/settings/rescan-schedule`, { method: "PUT", body: { cron: "every day" } }), undefined);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(["cron"]);

    const analyst = await makeOrgWith("ANALYST", "schedule");
    session.userId = analyst.user.id;
    expect((await schedule.PUT(req(`${BASE}/settings/rescan-schedule`, { method: "PUT", body: { cron: "0 1 * * *" } }), undefined)).status).toBe(403);
  });
});

describe("advisories and fix leverage", () => {
  it("finds an advisory by alias with the caller's open findings, and ranks the upgrade that removes them", async () => {
    const viewer = await makeOrgWith("VIEWER", "leverage");
    session.userId = viewer.user.id;
    const orgId = viewer.org.id;
    const cve = `CVE-2097-${String(Math.floor(Math.random() * 1e9)).padStart(9, "0")}`;
    const osvId = `GHSA-${uid()}`;
    await db().advisory.create({ data: { externalId: osvId, aliases: [cve], source: "test", summary: "flaw", modifiedAt: new Date(), severity: "CRITICAL" } });
    const cluster = await db().cluster.create({ data: { orgId, name: "prod" } });
    const ns = await db().namespace.create({ data: { orgId, clusterId: cluster.id, name: "shop" } });
    const pkg = `left-pad-${uid()}`;
    for (const [i, version] of [["a", "1.0.0"], ["b", "1.1.0"]] as const) {
      const image = await db().image.create({ data: { orgId, digest: `sha256:${i.repeat(64)}`, registryHost: "ghcr.io", repository: `acme/${i}-${uid()}` } });
      const w = await db().workload.create({ data: { orgId, clusterId: cluster.id, namespaceId: ns.id, kind: "Deployment", name: `web-${i}`, podSpec: {} } });
      await db().container.create({ data: { orgId, workloadId: w.id, name: "app", imageRef: "x", imageId: image.id } });
      await db().finding.create({
        data: {
          orgId, fingerprint: uid(), type: "VULNERABILITY", severity: "CRITICAL", title: "t", ruleId: cve, source: "trivy", imageId: image.id,
          packageName: pkg, packageVersion: version, fixedVersion: i === "a" ? "1.0.5, 1.1.3" : "1.1.3", fixable: true, evidence: { ecosystem: "npm" },
        },
      });
    }
    const found = (await (await advisories.GET(req(`${BASE}/advisories?q=${cve}`), undefined)).json()) as { items: Array<{ externalId: string; openFindings: number }> };
    expect(found.items).toEqual([expect.objectContaining({ externalId: osvId, openFindings: 2 })]);
    const one = await advisory.GET(req(`${BASE}/advisories/${cve}`), params({ id: cve }));
    expect(((await one.json()) as { externalId: string }).externalId).toBe(osvId);
    expect((await advisory.GET(req(`${BASE}/advisories/CVE-1900-0001`), params({ id: "CVE-1900-0001" }))).status).toBe(404);

    const ranked = (await (await leverage.GET(req(`${BASE}/vulnerabilities/fix-leverage`), undefined)).json()) as { items: unknown[] };
    // 1.0.0 is fixed on its branch by 1.0.5, 1.1.0 by 1.1.3: upgrading to 1.1.3 removes both.
    expect(ranked.items).toEqual([{ kind: "package", target: pkg, ecosystem: "npm", from: ["1.0.0", "1.1.0"], to: "1.1.3", findings: 2, critical: 2, high: 0, images: 2, workloads: 2 }]);
  });
});
