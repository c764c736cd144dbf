import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type FindingType, type Severity } from "@bulwark/db";
import { countPosture } from "../src/overview/counts.ts";
import { getOverview } from "../src/use-cases/get-overview.ts";
import { takePostureSnapshot } from "../src/use-cases/take-posture-snapshot.ts";
import { makeEstate, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

/** The ground truth the tally must equal: open findings counted straight from Finding. */
async function counted(orgId: string) {
  const rows = await db.finding.groupBy({ by: ["type", "severity"], where: { orgId, status: "OPEN" }, _count: { _all: true } });
  const map = new Map(rows.map((r) => [`${r.type}/${r.severity}`, r._count._all]));
  const fixable = await db.finding.count({ where: { orgId, status: "OPEN", fixable: true } });
  return { map, fixable, total: rows.reduce((a, r) => a + r._count._all, 0) };
}

async function expectTallyExact(orgId: string) {
  const truth = await counted(orgId);
  const p = await countPosture(db, orgId);
  expect(p.openTotal).toBe(truth.total);
  expect(p.fixableOpen).toBe(truth.fixable);
  for (const [type, bySev] of Object.entries(p.openByTypeSeverity)) {
    for (const [sev, n] of Object.entries(bySev)) expect(n, `${type}/${sev}`).toBe(truth.map.get(`${type}/${sev}`) ?? 0);
  }
  return p;
}

describe("FindingTally triggers", () => {
  it("stays equal to the open findings through bulk inserts, upserts, status and severity changes, and deletes", async () => {
    const org = await makeOrg(db, "tally");
    const { image, cluster, workload } = await makeEstate(db, org.id, ["CRITICAL", "HIGH"]);
    const types: FindingType[] = ["VULNERABILITY", "MISCONFIGURATION", "RUNTIME"];
    const sevs: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];
    await db.finding.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({
        orgId: org.id,
        fingerprint: `fp-${i}-${uid()}`,
        type: types[i % 3]!,
        severity: sevs[i % 5]!,
        status: i % 7 === 0 ? ("RESOLVED" as const) : ("OPEN" as const),
        fixable: i % 2 === 0,
        title: `t${i}`,
        ruleId: `R-${i % 13}`,
        source: "test",
        imageId: i % 3 === 0 ? image.id : null,
        workloadId: i % 3 === 0 ? null : workload.id,
        clusterId: i % 3 === 0 ? null : cluster.id,
      })),
    });
    await expectTallyExact(org.id);

    // Status, severity, fixability and subject changes in one statement each.
    await db.finding.updateMany({ where: { orgId: org.id, ruleId: "R-1" }, data: { status: "RESOLVED" } });
    await db.finding.updateMany({ where: { orgId: org.id, ruleId: "R-2" }, data: { severity: "CRITICAL", fixable: false } });
    await db.finding.updateMany({ where: { orgId: org.id, ruleId: "R-0", status: "RESOLVED" }, data: { status: "OPEN" } });
    await db.finding.updateMany({ where: { orgId: org.id, ruleId: "R-3" }, data: { status: "SUPPRESSED" } });
    await db.finding.updateMany({ where: { orgId: org.id, ruleId: "R-4" }, data: { lastSeen: new Date() } });
    await expectTallyExact(org.id);

    // INSERT … ON CONFLICT DO UPDATE: the insert and update halves are counted by their own triggers.
    await db.$executeRaw`INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, status, title, "ruleId", source, "updatedAt")
      SELECT 'x' || md5(random()::text), "orgId", fingerprint, type, 'LOW'::"Severity", 'OPEN'::"FindingStatus", title, "ruleId", source, now() FROM "Finding" WHERE "orgId" = ${org.id} AND "ruleId" = 'R-5'
      UNION ALL SELECT 'n' || md5(random()::text), ${org.id}, ${`new-${uid()}`}, 'SECRET'::"FindingType", 'HIGH'::"Severity", 'OPEN'::"FindingStatus", 'new', 'R-new', 'test', now()
      ON CONFLICT ("orgId", fingerprint) DO UPDATE SET severity = EXCLUDED.severity, status = EXCLUDED.status`;
    await expectTallyExact(org.id);

    await db.finding.deleteMany({ where: { orgId: org.id, ruleId: { in: ["R-6", "R-7"] } } });
    // Deleting the image cascades to its findings.
    await db.image.delete({ where: { id: image.id } });
    const p = await expectTallyExact(org.id);
    expect(p.openTotal).toBeGreaterThan(0);

    // Deleting the organization leaves no tally behind.
    await db.organization.delete({ where: { id: org.id } });
    const left = await db.$queryRaw<Array<{ n: bigint | null }>>`SELECT sum(n) AS n FROM "FindingTally" WHERE "orgId" = ${org.id}`;
    expect(Number(left[0]?.n ?? 0)).toBe(0);
  });

  it("the daily snapshot sweeps tally rows that reached zero and records the same counts", async () => {
    const org = await makeOrg(db, "sweep");
    await makeEstate(db, org.id, ["HIGH", "LOW"]);
    await db.finding.updateMany({ where: { orgId: org.id, severity: "LOW" }, data: { status: "RESOLVED" } });
    const zeros = () => db.findingTally.count({ where: { orgId: org.id, n: 0 } });
    expect(await zeros()).toBe(1);
    const snap = await takePostureSnapshot(db, org.id);
    expect(await zeros()).toBe(0);
    expect(snap.openBySeverity).toMatchObject({ HIGH: 1, LOW: 0 });
  });
});

describe("getOverview", () => {
  it("answers counts, the 30-day trend, riskiest workloads, runtime alerts and stale connectors of the caller's organization only", async () => {
    const org = await makeOrg(db, "ov");
    const other = await makeOrg(db, "ov-other");
    const { user } = await makeMember(db, org.id, "VIEWER");
    const now = new Date("2026-11-29T12:00:00Z");
    const a = await makeEstate(db, org.id, ["CRITICAL", "HIGH", "HIGH"]);
    await makeEstate(db, other.id, ["CRITICAL", "CRITICAL"]);
    await db.cluster.update({ where: { id: a.cluster.id }, data: { lastReportAt: new Date(now.getTime() - 5 * 60_000) } });
    const stale = await db.cluster.create({ data: { orgId: org.id, name: `old-${uid()}`, lastReportAt: new Date(now.getTime() - 3 * 3600_000) } });
    await db.registry.create({ data: { orgId: org.id, name: "ghcr", host: "ghcr.io/acme" } });
    await db.workload.update({ where: { id: a.workload.id }, data: { riskScore: 72, riskFactors: [{ key: "exposed", points: 10, reason: "exposed by a LoadBalancer" }, { key: "kev", points: 40, reason: "runs a known-exploited vulnerability" }] } });
    const runtime = await db.finding.create({
      data: { orgId: org.id, fingerprint: `rt-${uid()}`, type: "RUNTIME", severity: "HIGH", title: "Terminal shell in container", ruleId: "Terminal shell in container", source: "falco", workloadId: a.workload.id, clusterId: a.cluster.id, namespaceId: a.ns.id, occurrences: 4, lastSeen: now },
    });
    for (let d = 40; d >= 1; d--) {
      const day = new Date(Date.UTC(2026, 10, 29 - d));
      await db.postureSnapshot.create({ data: { orgId: org.id, day, score: 50 + (d % 10), openBySeverity: { CRITICAL: d, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 }, openByType: {}, clusters: 1, workloads: 1, images: 1 } });
    }

    const o = await getOverview(db, userCtx(org.id, user, "VIEWER"), now);
    expect(o.openBySeverity).toMatchObject({ CRITICAL: 1, HIGH: 3 });
    expect(o.openByType).toMatchObject({ VULNERABILITY: 3, RUNTIME: 1 });
    expect(o.openTotal).toBe(4);
    expect(o.clusters).toBe(2);
    // Snapshots of the last 30 days only (today's is not taken yet), oldest first.
    expect(o.trend).toHaveLength(29);
    expect(o.trend[0]?.day).toBe("2026-10-31");
    expect(o.trend.at(-1)?.day).toBe("2026-11-28");
    expect(o.riskiest).toEqual([expect.objectContaining({ id: a.workload.id, riskScore: 72, topFactor: "runs a known-exploited vulnerability" })]);
    expect(o.runtimeAlerts.map((r) => r.id)).toEqual([runtime.id]);
    expect(o.runtimeAlerts[0]).toMatchObject({ workload: a.workload.name, namespace: "default", occurrences: 4 });
    const byName = new Map(o.connectors.map((c) => [c.name, c]));
    expect(byName.get(a.cluster.name)?.stale).toBe(false);
    expect(byName.get(stale.name)?.stale).toBe(true);
    expect(byName.get("ghcr")).toMatchObject({ kind: "registry", stale: true, lastReportAt: null });
    expect(o.connectors[0]?.stale).toBe(true);
  });
});
