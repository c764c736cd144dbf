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
// twice (once through the CLI entry point, once through the function) and compare every table.

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
    first = await tableCounts();
    expect(first.Organization).toBe(2);
    expect(first.Finding).toBeGreaterThan(100);
  });

  it("changes nothing when run again, and keeps what people changed since", async () => {
    const acme = await db.organization.findUniqueOrThrow({ where: { slug: "acme" } });
    const finding = await db.finding.findFirstOrThrow({ where: { orgId: acme.id, status: "OPEN", type: "VULNERABILITY" }, orderBy: { fingerprint: "asc" } });
    await db.finding.update({ where: { id: finding.id }, data: { status: "RESOLVED", resolvedAt: new Date() } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@bulwark.local" } });

    await seedDemo(db);

    expect(await tableCounts()).toEqual(first);
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe("RESOLVED");
    // The password was not re-hashed (a new argon2 salt would change the stored hash).
    expect((await db.user.findUniqueOrThrow({ where: { email: "admin@bulwark.local" } })).passwordHash).toBe(admin.passwordHash);
  });

  it("covers every finding type and severity", async () => {
    const byType = await db.finding.groupBy({ by: ["type"], _count: { _all: true } });
    expect(byType.map((r) => r.type).sort()).toEqual(["MALWARE", "MISCONFIGURATION", "POLICY_VIOLATION", "RUNTIME", "SECRET", "VULNERABILITY"]);
    const bySeverity = await db.finding.groupBy({ by: ["severity"], _count: { _all: true } });
    expect(bySeverity.map((r) => r.severity).sort()).toEqual(["CRITICAL", "HIGH", "INFO", "LOW", "MEDIUM"]);
    expect(await db.finding.count({ where: { status: "RESOLVED", resolvedAt: { not: null } } })).toBeGreaterThan(3);
    // Image findings are stored once per image, never copied onto workloads.
    expect(await db.finding.count({ where: { type: { in: ["VULNERABILITY", "SECRET", "MALWARE"] }, OR: [{ imageId: null }, { workloadId: { not: null } }] } })).toBe(0);
    expect(await db.finding.count({ where: { type: { in: ["MISCONFIGURATION", "POLICY_VIOLATION", "RUNTIME"] }, workloadId: null } })).toBe(0);
  });

  it("gives Acme two clusters and about forty workloads, and Globex an estate of its own", async () => {
    const acme = await db.organization.findUniqueOrThrow({ where: { slug: "acme" }, include: { _count: { select: { clusters: true, workloads: true, postureSnapshots: true } } } });
    expect(acme.name).toBe("Acme Corp");
    expect(acme._count.clusters).toBe(2);
    expect(acme._count.workloads).toBeGreaterThanOrEqual(35);
    expect(acme._count.workloads).toBeLessThanOrEqual(45);
    expect(acme._count.postureSnapshots).toBeGreaterThanOrEqual(30);
    const globex = await db.organization.findUniqueOrThrow({ where: { slug: "globex" }, include: { _count: { select: { clusters: true, workloads: true, findings: true } } } });
    expect(globex._count.clusters).toBe(1);
    expect(globex._count.workloads).toBeGreaterThan(0);
    expect(globex._count.findings).toBeGreaterThan(0);
    // Every container with a known image points at an image of its own organization.
    const crossOrg = await db.container.count({ where: { image: { orgId: { not: acme.id } }, orgId: acme.id } });
    expect(crossOrg).toBe(0);
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
