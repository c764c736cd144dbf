import { randomBytes } from "node:crypto";
import { type Db, plainSql, type Prisma, type FindingStatus, type FindingType, type Severity } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COVERAGE_RULE, COVERAGE_SOURCE } from "../src/admission/coverage.ts";
import { PRACTICES } from "../src/compliance/posture-counts.ts";
import { collectPostureMetrics } from "../src/compliance/posture-metrics.ts";
import { practiceWhere } from "../src/compliance/practice-filter.ts";
import { getCompliance, getPracticeSummary } from "../src/use-cases/get-compliance.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;
const DAY = 86_400_000;

interface WorkloadSpec {
  ns: string;
  pss: string | null;
  nonRoot: boolean | null;
  ro: boolean | null;
  trusted: boolean | null;
  images: string[];
  deleted?: boolean;
}

/** The small estate the expectations below are computed from by hand. */
async function makeFixture(orgId: string) {
  const cluster = async (name: string, lastReportAt: Date | null) => db.cluster.create({ data: { orgId, name, lastReportAt } });
  const prod = await cluster("prod", ago(10 * MIN));
  const stage = await cluster("stage", null);
  await cluster("idle", ago(2 * 60 * MIN));
  const nsIds = new Map<string, string>();
  for (const [c, name] of [[prod, "apps"], [prod, "kube"], [stage, "default"]] as const) {
    nsIds.set(`${c.name}/${name}`, (await db.namespace.create({ data: { orgId, clusterId: c.id, name } })).id);
  }
  const image = async (lastScannedAt: Date | null) =>
    (await db.image.create({ data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "docker.io", repository: `r-${uid()}`, tags: [], lastScannedAt } })).id;
  const images: Record<string, string> = { fresh: await image(ago(DAY)), old: await image(ago(8 * DAY)), never: await image(null), orphan: await image(ago(DAY)) };

  const specs: Record<string, [typeof prod, WorkloadSpec]> = {
    w1: [prod, { ns: "apps", pss: "restricted", nonRoot: true, ro: true, trusted: true, images: ["fresh"] }],
    w2: [prod, { ns: "apps", pss: "baseline", nonRoot: false, ro: false, trusted: false, images: ["fresh", "old"] }],
    w3: [prod, { ns: "kube", pss: "privileged", nonRoot: true, ro: null, trusted: true, images: ["never"] }],
    w4: [prod, { ns: "kube", pss: null, nonRoot: null, ro: null, trusted: null, images: [] }],
    w5: [prod, { ns: "apps", pss: "restricted", nonRoot: true, ro: true, trusted: true, images: ["old"], deleted: true }],
    w6: [stage, { ns: "default", pss: "restricted", nonRoot: true, ro: true, trusted: null, images: ["fresh"] }],
  };
  const w: Record<string, string> = {};
  for (const [name, [c, s]] of Object.entries(specs)) {
    const row = await db.workload.create({
      data: {
        orgId,
        clusterId: c.id,
        namespaceId: nsIds.get(`${c.name}/${s.ns}`)!,
        kind: "Deployment",
        name,
        podSpec: {},
        pssLevel: s.pss,
        nonRoot: s.nonRoot,
        readOnlyRootFs: s.ro,
        trustedImages: s.trusted,
        deleted: s.deleted ?? false,
      },
    });
    w[name] = row.id;
    for (const [i, img] of s.images.entries()) {
      await db.container.create({ data: { orgId, workloadId: row.id, name: `c${i}`, imageRef: img, imageId: images[img]! } });
    }
  }

  await db.enforcementPoint.createMany({
    data: [
      { orgId, name: `ep-prod-${uid()}`, clusterId: prod.id, lastHeartbeatAt: ago(MIN) },
      { orgId, name: `ep-stage-${uid()}`, clusterId: stage.id, lastHeartbeatAt: ago(60 * MIN) },
      { orgId, name: `ep-none-${uid()}`, clusterId: null, lastHeartbeatAt: null },
    ],
  });

  const finding = (type: FindingType, severity: Severity, where: { clusterId?: string; workloadId?: string; imageId?: string }, mitre: string[], extra: { status?: FindingStatus; source?: string; ruleId?: string } = {}) =>
    db.finding.create({
      data: { orgId, fingerprint: uid(), type, severity, title: "t", ruleId: extra.ruleId ?? `r-${uid()}`, source: extra.source ?? "test", status: extra.status ?? "OPEN", mitreTechniques: mitre, ...where },
    });
  await finding("RUNTIME", "HIGH", { clusterId: prod.id, workloadId: w.w1 }, ["T1611"]);
  await finding("POLICY_VIOLATION", "CRITICAL", { clusterId: prod.id, workloadId: w.w2 }, ["T1552.001", "T1552.007"]);
  await finding("POLICY_VIOLATION", "MEDIUM", { clusterId: stage.id, workloadId: w.w6 }, ["T1552.001"]);
  await finding("POLICY_VIOLATION", "MEDIUM", { clusterId: prod.id, workloadId: w.w2 }, ["T1610"], { source: COVERAGE_SOURCE, ruleId: COVERAGE_RULE });
  await finding("RUNTIME", "CRITICAL", { clusterId: prod.id, workloadId: w.w1 }, ["T1611"], { status: "RESOLVED" });
  await finding("VULNERABILITY", "HIGH", { imageId: images.fresh }, []);
  await finding("VULNERABILITY", "LOW", { imageId: images.orphan }, []);
  await finding("MISCONFIGURATION", "MEDIUM", { imageId: images.old }, ["T1068"]);
  await finding("RUNTIME", "LOW", { clusterId: prod.id }, ["T9999"]);
  return { prod, stage };
}

async function fixtureOrg() {
  const org = await makeOrg(db, "compliance");
  const { user } = await makeMember(db, org.id, "VIEWER");
  await makeFixture(org.id);
  // Another organization with overlapping names and techniques: none of it may show up.
  const other = await makeOrg(db, "compliance-other");
  await makeFixture(other.id);
  return { org, ctx: userCtx(org.id, user, "VIEWER") };
}

const practices = (ps: Array<{ practice: string; compliant: number; total: number; unevaluated: number; ratio: number | null; notConfigured: boolean }>) =>
  Object.fromEntries(ps.map((p) => [p.practice, [p.compliant, p.total, p.unevaluated, p.ratio, p.notConfigured]]));

describe("getCompliance", () => {
  it("counts the five practices, PSS pass rates and open findings per ATT&CK technique", async () => {
    const { ctx } = await fixtureOrg();
    const c = await getCompliance(db, ctx, {}, now);

    expect(c.cluster).toBeNull();
    expect(c.summary.workloads).toBe(5);
    expect(practices(c.summary.practices)).toEqual({
      trustedImages: [2, 5, 2, 0.4, false],
      scanning: [2, 5, 0, 0.4, false],
      nonRoot: [3, 5, 1, 0.6, false],
      readOnlyRootFs: [2, 5, 2, 0.4, false],
      enforcement: [3, 5, 0, 0.6, false],
    });
    expect(await getPracticeSummary(db, ctx, now)).toEqual(c.summary.practices);
    expect(c.summary.pss).toEqual({ baseline: 3, restricted: 2, privileged: 1, unevaluated: 1, evaluated: 4, baselineRatio: 0.75, restrictedRatio: 0.5 });

    expect(c.clusters.map((x) => [x.name, x.workloads])).toEqual([["idle", 0], ["prod", 4], ["stage", 1]]);
    const [idle, prod, stage] = c.clusters;
    expect(practices(prod!.practices)).toEqual({
      trustedImages: [2, 4, 1, 0.5, false],
      scanning: [1, 4, 0, 0.25, false],
      nonRoot: [2, 4, 1, 0.5, false],
      readOnlyRootFs: [1, 4, 2, 0.25, false],
      enforcement: [3, 4, 0, 0.75, false],
    });
    expect(practices(stage!.practices)).toEqual({
      trustedImages: [0, 1, 1, null, true],
      scanning: [1, 1, 0, 1, false],
      nonRoot: [1, 1, 0, 1, false],
      readOnlyRootFs: [1, 1, 0, 1, false],
      enforcement: [0, 1, 0, 0, false],
    });
    expect(idle!.pss).toEqual({ baseline: 0, restricted: 0, privileged: 0, unevaluated: 0, evaluated: 0, baselineRatio: null, restrictedRatio: null });
    expect(prod!.pss).toMatchObject({ baseline: 2, restricted: 1, privileged: 1, unevaluated: 1, evaluated: 3, baselineRatio: 2 / 3, restrictedRatio: 1 / 3 });

    expect(c.namespaces.map((n) => [n.cluster, n.name, n.workloads, n.pss.baselineRatio, n.pss.restrictedRatio, n.pss.unevaluated])).toEqual([
      ["prod", "apps", 2, 1, 0.5, 0],
      ["prod", "kube", 2, 0, 0, 1],
      ["stage", "default", 1, 1, 1, 0],
    ]);

    const cell = (tactic: string, id: string) => c.attack.tactics.find((t) => t.name === tactic)!.techniques.find((t) => t.id === id)!;
    expect(cell("Privilege Escalation", "T1611")).toMatchObject({ open: 1, maxSeverity: "HIGH" });
    expect(cell("Privilege Escalation", "T1068")).toMatchObject({ open: 1, maxSeverity: "MEDIUM" });
    expect(cell("Execution", "T1610")).toMatchObject({ open: 1, maxSeverity: "MEDIUM" });
    expect(cell("Defense Evasion", "T1610")).toMatchObject({ open: 1, maxSeverity: "MEDIUM" });
    const creds = cell("Credential Access", "T1552");
    // Two findings: the one tagged with both sub-techniques counts once toward the parent.
    expect(creds).toMatchObject({ open: 2, maxSeverity: "CRITICAL" });
    expect(creds.subTechniques.map((s) => [s.id, s.open, s.maxSeverity])).toEqual([
      ["T1552.001", 2, "CRITICAL"],
      ["T1552.007", 1, "CRITICAL"],
    ]);
    expect(cell("Impact", "T1496")).toMatchObject({ open: 0, maxSeverity: null });
    expect(c.attack.other).toEqual([{ id: "T9999", open: 1, maxSeverity: "LOW" }]);
  });

  it("narrows everything to one cluster, image findings included where the image runs", async () => {
    const { ctx } = await fixtureOrg();
    const c = await getCompliance(db, ctx, { cluster: "stage" }, now);
    expect(c.cluster).toBe("stage");
    expect(c.clusters.map((x) => x.name)).toEqual(["stage"]);
    expect(c.summary.workloads).toBe(1);
    expect(c.namespaces.map((n) => n.name)).toEqual(["default"]);
    const cell = (tactic: string, id: string) => c.attack.tactics.find((t) => t.name === tactic)!.techniques.find((t) => t.id === id)!;
    expect(cell("Credential Access", "T1552")).toMatchObject({ open: 1, maxSeverity: "MEDIUM" });
    expect(cell("Privilege Escalation", "T1611").open).toBe(0);
    expect(cell("Privilege Escalation", "T1068").open).toBe(0);
    expect(c.attack.other).toEqual([]);

    const prod = await getCompliance(db, ctx, { cluster: "prod" }, now);
    const prodCell = (tactic: string, id: string) => prod.attack.tactics.find((t) => t.name === tactic)!.techniques.find((t) => t.id === id)!;
    // The misconfigured image runs only in prod (its other workload there is deleted).
    expect(prodCell("Privilege Escalation", "T1068").open).toBe(1);
    expect(prodCell("Credential Access", "T1552")).toMatchObject({ open: 1, maxSeverity: "CRITICAL" });
  });

  it("answers 404 for a cluster of another organization and refuses callers without read access", async () => {
    const { ctx } = await fixtureOrg();
    const other = await makeOrg(db, "compliance-x");
    await db.cluster.create({ data: { orgId: other.id, name: "elsewhere" } });
    expect((await caught(getCompliance(db, ctx, { cluster: "elsewhere" }))).code).toBe("NOT_FOUND");
    const token = { orgId: ctx.orgId, actor: { type: "token" as const, tokenId: "t", name: "t", scopes: ["ingest"], clusterId: null, registryId: null } };
    expect((await caught(getCompliance(db, token))).code).toBe("FORBIDDEN");
  });

  it("reports trusted images as not configured when no workload has a verdict", async () => {
    const org = await makeOrg(db, "compliance-nc");
    const { user } = await makeMember(db, org.id, "VIEWER");
    const cl = await db.cluster.create({ data: { orgId: org.id, name: "c" } });
    const ns = await db.namespace.create({ data: { orgId: org.id, clusterId: cl.id, name: "n" } });
    await db.workload.create({ data: { orgId: org.id, clusterId: cl.id, namespaceId: ns.id, kind: "Pod", name: "p", podSpec: {}, nonRoot: true } });
    const c = await getCompliance(db, userCtx(org.id, user, "VIEWER"));
    expect(c.summary.practices.find((p) => p.practice === "trustedImages")).toMatchObject({ compliant: 0, total: 1, unevaluated: 1, ratio: null, notConfigured: true });
    expect(c.summary.practices.find((p) => p.practice === "nonRoot")).toMatchObject({ compliant: 1, ratio: 1 });
  });
});

describe("practiceWhere", () => {
  it("selects exactly the workloads the counts call compliant, and those known not to comply", async () => {
    const { org, ctx } = await fixtureOrg();
    const c = await getCompliance(db, ctx, {}, now);
    const names = async (cond: Prisma.Sql) =>
      (await plainSql(db).$queryRaw<Array<{ name: string }>>`SELECT w.name FROM "Workload" w WHERE w."orgId" = ${org.id} AND NOT w.deleted AND ${cond} ORDER BY w.name`).map((r) => r.name);
    const expected: Record<string, [string[], string[]]> = {
      trustedImages: [["w1", "w3"], ["w2"]],
      scanning: [["w1", "w6"], ["w2", "w3", "w4"]],
      nonRoot: [["w1", "w3", "w6"], ["w2"]],
      readOnlyRootFs: [["w1", "w6"], ["w2"]],
      enforcement: [["w1", "w3", "w4"], ["w2", "w6"]],
    };
    for (const practice of PRACTICES) {
      const stat = c.summary.practices.find((p) => p.practice === practice)!;
      const [yes, no] = [await names(practiceWhere(practice, true, now)), await names(practiceWhere(practice, false, now))];
      expect([yes, no], practice).toEqual(expected[practice]);
      expect(yes.length, practice).toBe(stat.compliant);
      expect(no.length, practice).toBe(stat.total - stat.compliant - stat.unevaluated);
    }
  });
});

describe("collectPostureMetrics", () => {
  it("returns exact gauges for the fixture organization only", async () => {
    const { org } = await fixtureOrg();
    const m = await collectPostureMetrics(db, org.id, now);
    // CRITICAL 1, HIGH 2, MEDIUM 3, LOW 2 over 5 workloads: 100 / (1 + 27 / 50).
    expect(m.score).toBe(65);
    expect(m.openFindings).toEqual([
      { cluster: "", severity: "LOW", type: "VULNERABILITY", count: 1 },
      { cluster: "prod", severity: "CRITICAL", type: "POLICY_VIOLATION", count: 1 },
      { cluster: "prod", severity: "HIGH", type: "RUNTIME", count: 1 },
      { cluster: "prod", severity: "HIGH", type: "VULNERABILITY", count: 1 },
      { cluster: "prod", severity: "LOW", type: "RUNTIME", count: 1 },
      { cluster: "prod", severity: "MEDIUM", type: "MISCONFIGURATION", count: 1 },
      { cluster: "prod", severity: "MEDIUM", type: "POLICY_VIOLATION", count: 1 },
      { cluster: "stage", severity: "HIGH", type: "VULNERABILITY", count: 1 },
      { cluster: "stage", severity: "MEDIUM", type: "POLICY_VIOLATION", count: 1 },
    ]);
    expect(m.clusters.map((c) => [c.name, c.workloads, c.stale, c.lastReportAt?.getTime() ?? null])).toEqual([
      ["idle", 0, true, ago(2 * 60 * MIN).getTime()],
      ["prod", 4, false, ago(10 * MIN).getTime()],
      ["stage", 1, true, null],
    ]);
    expect(m.clusters[1]!.practices).toEqual({ trustedImages: 0.5, scanning: 0.25, nonRoot: 0.5, readOnlyRootFs: 0.25, enforcement: 0.75 });
    expect(m.clusters[2]!.practices.trustedImages).toBeNull();
    expect(m.clusters[1]!.pss).toEqual({ baseline: 2 / 3, restricted: 1 / 3 });
    expect(m.clusters[0]!.pss).toEqual({ baseline: null, restricted: null });
    expect(m.enforcementPoints).toEqual([
      { cluster: "", health: "healthy", count: 0 },
      { cluster: "", health: "stale", count: 0 },
      { cluster: "", health: "never", count: 1 },
      { cluster: "prod", health: "healthy", count: 1 },
      { cluster: "prod", health: "stale", count: 0 },
      { cluster: "prod", health: "never", count: 0 },
      { cluster: "stage", health: "healthy", count: 0 },
      { cluster: "stage", health: "stale", count: 1 },
      { cluster: "stage", health: "never", count: 0 },
    ]);
  });
});
