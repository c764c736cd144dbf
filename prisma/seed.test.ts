import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@bulwark/db";
import { verifyPassword } from "@bulwark/core";
import { ensureDatabase, migrate } from "../packages/db/src/migrate.ts";
import { DEMO_PASSWORD, seedDemo } from "./seed/index.ts";

// The seed runs on every `npm start`, so it must be repeatable: these tests seed a database of their own
// twice (once through the CLI entry point, once through the function) and compare every table. They also
// check that the demo went through the connector API's real path and came out as a believable estate.

const root = path.resolve(import.meta.dirname, "..");
const base = process.env.TEST_DATABASE_URL;
if (!base) throw new Error("TEST_DATABASE_URL is required (npm test sets it)");
// A database of its own next to the test database (bulwark_test -> bulwark_test_seed).
const url = new URL(base);
const dbName = `${decodeURIComponent(url.pathname.slice(1))}_seed`;
url.pathname = `/${dbName}`;
const dbUrl = url.toString();

let db: Db;

async function tableCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) {
      // FindingTally follows Finding by trigger (the finding this test resolves empties a tally row); it is
      // checked against the open findings instead.
      if (table_name === "FindingTally") continue;
      const res = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}"`);
      counts[table_name] = Number(res.rows[0]?.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const admin = new URL(dbUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await client.end();
  await ensureDatabase(dbUrl);
  await migrate(dbUrl, path.join(root, "prisma/migrations"));
  db = createDb(dbUrl, { max: 4 });
});

afterAll(async () => {
  await db?.$disconnect();
});

describe("demo seed", () => {
  let first: Record<string, number>;

  it("seeds through the CLI entry point", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: dbUrl };
    delete env.BULWARK_DEMO_PASSWORD;
    const { stdout } = await promisify(execFile)(path.join(root, "node_modules/.bin/tsx"), ["prisma/seed.ts"], { cwd: root, env });
    expect(stdout).toMatch(/seed: acme\s+2 cluster\(s\)/);
    expect(stdout).toMatch(/seed: acme .* reports through the connector API \((\d+) new\)/);
    expect(stdout).not.toMatch(/differ from the stored ones|not sent/);
    first = await tableCounts();
    expect(first.Organization).toBe(2);
    expect(first.Finding).toBeGreaterThan(100);
  });

  it("changes nothing when run again, and keeps what people changed since", async () => {
    const acme = await db.organization.findUniqueOrThrow({ where: { slug: "acme" } });
    const finding = await db.finding.findFirstOrThrow({ where: { orgId: acme.id, status: "OPEN", type: "VULNERABILITY" }, orderBy: { fingerprint: "asc" } });
    await db.finding.update({ where: { id: finding.id }, data: { status: "RESOLVED", resolvedAt: new Date() } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@bulwark.local" } });

    const summary = await seedDemo(db);

    // Every report was answered by its Idempotency-Key with the first run's report.
    for (const o of summary.orgs) {
      expect(o.skipped).toBeUndefined();
      expect(o.reports.posted).toBe(0);
      expect(o.reports.duplicates).toBeGreaterThan(0);
      expect(o.reports.conflicts).toEqual([]);
    }
    expect(await tableCounts()).toEqual(first);
    const [tally] = await db.$queryRaw<Array<{ tally: bigint; open: bigint }>>`
      SELECT (SELECT sum(n) FROM "FindingTally") AS tally, (SELECT count(*) FROM "Finding" WHERE status = 'OPEN') AS open`;
    expect(tally?.tally).toBe(tally?.open);
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe("RESOLVED");
    // The password was not re-hashed (a new argon2 salt would change the stored hash).
    expect((await db.user.findUniqueOrThrow({ where: { email: "admin@bulwark.local" } })).passwordHash).toBe(admin.passwordHash);
  });

  it("sends the estate through the connector API: every report kind, all processed, with the seed's token", async () => {
    for (const slug of ["acme", "globex"]) {
      const org = await db.organization.findUniqueOrThrow({ where: { slug } });
      const tokens = await db.apiToken.findMany({ where: { orgId: org.id } });
      expect(tokens.map((t) => [t.name, t.scopes, t.revokedAt])).toEqual([["demo-seed", ["ingest"], null]]);
      const reports = await db.report.findMany({ where: { orgId: org.id }, select: { kind: true, status: true, tokenId: true, idempotencyKey: true } });
      expect(reports.every((r) => r.status === "PROCESSED" && r.tokenId === tokens[0]!.id && r.idempotencyKey?.startsWith(`seed:v1:${slug}:`))).toBe(true);
    }
    const byKind = await db.report.groupBy({ by: ["kind", "status"], where: { org: { slug: "acme" } }, _count: { _all: true } });
    expect(byKind.map((r) => `${r.kind}:${r.status}`).sort()).toEqual(["FALCO:PROCESSED", "INVENTORY:PROCESSED", "REGISTRY:PROCESSED", "SBOM:PROCESSED", "TRIVY:PROCESSED"]);
    expect(await db.report.count({ where: { status: { not: "PROCESSED" } } })).toBe(0);
  });

  it("covers every finding type and severity in Acme, each finding tied to its image or workload", async () => {
    const acme = { org: { slug: "acme" } };
    const byType = await db.finding.groupBy({ by: ["type"], where: acme, _count: { _all: true } });
    expect(byType.map((r) => r.type).sort()).toEqual(["MALWARE", "MISCONFIGURATION", "POLICY_VIOLATION", "RUNTIME", "SECRET", "VULNERABILITY"]);
    const bySeverity = await db.finding.groupBy({ by: ["severity"], where: { ...acme, status: "OPEN" }, _count: { _all: true } });
    expect(bySeverity.map((r) => r.severity).sort()).toEqual(["CRITICAL", "HIGH", "INFO", "LOW", "MEDIUM"]);
    // Image findings are stored once per image, never copied onto workloads.
    expect(await db.finding.count({ where: { type: { in: ["VULNERABILITY", "SECRET", "MALWARE"] }, OR: [{ imageId: null }, { workloadId: { not: null } }] } })).toBe(0);
    expect(await db.finding.count({ where: { type: { in: ["POLICY_VIOLATION", "RUNTIME"] }, workloadId: null } })).toBe(0);
    expect(await db.finding.count({ where: { type: "MISCONFIGURATION", imageId: null, workloadId: null } })).toBe(0);
    // Trivy's image-config checks arrive as image misconfigurations; vulnerabilities carry the advisory's data.
    expect(await db.finding.count({ where: { ...acme, type: "MISCONFIGURATION", source: "trivy", ruleId: "DS-0002", imageId: { not: null } } })).toBeGreaterThan(0);
    const xz = await db.finding.findFirstOrThrow({ where: { ...acme, type: "VULNERABILITY", ruleId: "CVE-2024-3094", packageName: "xz-utils" } });
    expect(xz).toMatchObject({ severity: "CRITICAL", cvssScore: 10, fixedVersion: "5.6.1+really5.4.5-1", fixable: true, status: "OPEN" });
  });

  it("has history: findings resolved and a workload deleted by later reports", async () => {
    // The debug pod of an earlier inventory is gone from the later ones: deleted, its Falco findings resolved.
    const pod = await db.workload.findFirstOrThrow({ where: { org: { slug: "acme" }, name: "debug-curl" }, include: { findings: true } });
    expect(pod).toMatchObject({ kind: "Pod", deleted: true });
    expect(pod.findings.length).toBeGreaterThan(0);
    expect(pod.findings.every((f) => f.type === "RUNTIME" && f.status === "RESOLVED" && f.resolvedAt?.getTime() === pod.deletedAt?.getTime())).toBe(true);
    // An advisory the current Trivy scans no longer list, and a malware verdict the registry later cleared.
    expect(await db.finding.count({ where: { type: "VULNERABILITY", ruleId: "CVE-2023-4039", status: "RESOLVED", resolvedAt: { not: null } } })).toBeGreaterThan(0);
    expect(await db.finding.count({ where: { type: "VULNERABILITY", ruleId: "CVE-2023-4039", status: "OPEN" } })).toBe(0);
    expect(await db.finding.count({ where: { type: "MALWARE", source: "registry", status: "RESOLVED" } })).toBe(1);
    // First sightings are spread over the reports' past, not all "now".
    const oldest = await db.finding.findFirstOrThrow({ where: { org: { slug: "acme" } }, orderBy: { firstSeen: "asc" } });
    expect(Date.now() - oldest.firstSeen.getTime()).toBeGreaterThan(20 * 86_400_000);
  });

  it("gives Acme two clusters and about forty workloads, and Globex an estate of its own", async () => {
    const acme = await db.organization.findUniqueOrThrow({ where: { slug: "acme" }, include: { _count: { select: { clusters: true, workloads: true, postureSnapshots: true } } } });
    expect(acme.name).toBe("Acme Corp");
    expect(acme._count.clusters).toBe(2);
    expect(acme._count.workloads).toBeGreaterThanOrEqual(35);
    expect(acme._count.workloads).toBeLessThanOrEqual(45);
    expect(acme._count.postureSnapshots).toBeGreaterThanOrEqual(30);
    // Cluster facts come from the inventories' Node objects.
    const clusters = await db.cluster.findMany({ where: { orgId: acme.id }, orderBy: { name: "asc" }, select: { name: true, provider: true, kubernetesVersion: true, lastReportAt: true } });
    expect(clusters.map((c) => [c.name, c.provider, c.kubernetesVersion])).toEqual([
      ["prod-eu-west-1", "eks", "v1.31.2-eks-7f9249a"],
      ["staging-us-east-1", "gke", "v1.30.5-gke.1014001"],
    ]);
    expect(clusters.every((c) => c.lastReportAt !== null)).toBe(true);
    const globex = await db.organization.findUniqueOrThrow({ where: { slug: "globex" }, include: { _count: { select: { clusters: true, workloads: true, findings: true } } } });
    expect(globex._count.clusters).toBe(1);
    expect(globex._count.workloads).toBeGreaterThan(0);
    expect(globex._count.findings).toBeGreaterThan(0);
    // Nothing of one organization points at the other's rows.
    for (const org of [acme, globex]) {
      expect(await db.container.count({ where: { orgId: org.id, image: { orgId: { not: org.id } } } })).toBe(0);
      expect(await db.finding.count({ where: { orgId: org.id, OR: [{ image: { orgId: { not: org.id } } }, { workload: { orgId: { not: org.id } } }] } })).toBe(0);
      expect(await db.runtimeEvent.count({ where: { orgId: org.id, cluster: { orgId: { not: org.id } } } })).toBe(0);
    }
  });

  it("links containers to scanned images by digest, with packages, malware verdicts and runtime events", async () => {
    const acme = { org: { slug: "acme" } };
    // Pod statuses name the digests, so every container is linked to its image.
    expect(await db.container.count({ where: { ...acme, imageId: null } })).toBe(0);
    const images = await db.image.findMany({ where: acme, select: { repository: true, _count: { select: { packages: true } } } });
    expect(images.filter((i) => i._count.packages === 0).map((i) => i.repository)).toEqual(["library/busybox"]);
    const malware = await db.finding.findFirstOrThrow({ where: { ...acme, type: "MALWARE", status: "OPEN" }, include: { image: true } });
    expect(malware).toMatchObject({ source: "registry", severity: "CRITICAL", ruleId: "Multios.Coinminer.Miner-6781728-2" });
    expect(malware.image).toMatchObject({ repository: "k8s-debug-tools/netutils", malwareVerdict: "malicious" });
    // Falco events are tied to the workload they happened in, and to their runtime finding.
    const events = await db.runtimeEvent.findMany({ where: acme, select: { workloadId: true, findingId: true } });
    expect(events.length).toBeGreaterThan(10);
    expect(events.every((e) => e.workloadId !== null && e.findingId !== null)).toBe(true);
  });

  it("writes directly only what no API produces yet, once", async () => {
    const acme = await db.organization.findUniqueOrThrow({ where: { slug: "acme" } });
    const direct = await db.finding.groupBy({ by: ["type", "source"], where: { orgId: acme.id, source: { in: ["bulwark-policy", "admission"] } }, _count: { _all: true } });
    // POLICY_VIOLATION: written directly (audited admissions, source "admission"); MISCONFIGURATION: the
    // policy set evaluated against the inventory (core's evaluateWorkloads), with every live workload's posture.
    expect(direct.map((r) => `${r.type}:${r.source}`).sort()).toEqual(["MISCONFIGURATION:bulwark-policy", "POLICY_VIOLATION:admission"]);
    const live = await db.workload.findMany({ where: { orgId: acme.id, deleted: false }, select: { pssLevel: true, evaluatedAt: true, policyResults: true } });
    expect(live.every((w) => w.evaluatedAt !== null && w.pssLevel !== null && Array.isArray(w.policyResults) && w.policyResults.length > 0)).toBe(true);
    expect(new Set(live.map((w) => w.pssLevel))).toEqual(new Set(["privileged", "baseline", "restricted"]));
    const registries = await db.registry.findMany({ where: { orgId: acme.id }, orderBy: { name: "asc" }, select: { name: true, trusted: true } });
    expect(registries).toEqual([{ name: "docker-hub", trusted: false }, { name: "ghcr-acme", trusted: true }]);
    // Advisories go through the OSV parse/store path, and one full re-match runs: images known only from
    // their SBOM get Bulwark's own findings; what Trivy already reports is left to Trivy.
    expect(await db.advisoryPackage.count()).toBeGreaterThan(10);
    const run = await db.scanRun.findFirstOrThrow({ where: { orgId: acme.id, kind: "FULL", trigger: "seed" } });
    expect(run.status).toBe("SUCCEEDED");
    expect(run.stats).toMatchObject({ duplicatesOfScanner: expect.any(Number) });
    expect((run.stats as { duplicatesOfScanner: number }).duplicatesOfScanner).toBeGreaterThan(0);
    expect(await db.finding.count({ where: { orgId: acme.id, source: "bulwark", type: "VULNERABILITY", status: "OPEN" } })).toBeGreaterThan(0);
    // Risk comes from the real computation (refreshRiskScores), with its reasons.
    const sso = await db.workload.findFirstOrThrow({ where: { orgId: acme.id, name: "legacy-sso" } });
    const riskiest = await db.workload.findFirstOrThrow({ where: { orgId: acme.id, deleted: false }, orderBy: { riskScore: "desc" } });
    expect(riskiest.name).toBe("legacy-sso");
    expect((sso.riskFactors as Array<{ key: string }>).map((f) => f.key).sort()).toEqual(["exposure", "fixable-critical", "fixable-high", "privileges", "runtime-alerts"]);
    expect(sso.riskScore).toBe((sso.riskFactors as Array<{ points: number }>).reduce((s, f) => s + f.points, 0));
    // A setting changed by a person is not reset by the next start.
    await db.registry.update({ where: { orgId_name: { orgId: acme.id, name: "ghcr-acme" } }, data: { trusted: false } });
    await seedDemo(db);
    expect((await db.registry.findUniqueOrThrow({ where: { orgId_name: { orgId: acme.id, name: "ghcr-acme" } } })).trusted).toBe(false);
  });

  it("stores argon2id hashes, never the clear password, with the documented roles", async () => {
    const users = await db.user.findMany({ include: { memberships: { include: { org: true } } }, orderBy: { email: "asc" } });
    expect(users.map((u) => `${u.email}:${u.memberships.map((m) => `${m.org.slug}/${m.role}`).join(",")}`)).toEqual([
      "admin@bulwark.local:acme/OWNER",
      "analyst@bulwark.local:acme/ANALYST",
      "globex-admin@bulwark.local:globex/OWNER",
      "viewer@bulwark.local:acme/VIEWER",
    ]);
    for (const u of users) {
      expect(u.passwordHash).not.toBe(DEMO_PASSWORD);
      expect(u.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(u.passwordHash!, DEMO_PASSWORD)).toBe(true);
    }
  });
});
