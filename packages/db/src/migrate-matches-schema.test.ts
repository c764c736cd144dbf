import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase, migrate, readMigrations } from "./migrate.ts";
import { RAW_SQL_INDEXES } from "./raw-indexes.ts";
import { diffSchema } from "./schema-engine.ts";

// Proves prisma/migrations reproduce prisma/schema.prisma: one database is built by applying every
// migration, another straight from the schema; their catalogs must match table by table.

const root = path.resolve(import.meta.dirname, "../../..");
const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!base) throw new Error("TEST_DATABASE_URL is required (npm test sets it)");

function dbUrl(name: string): string {
  const u = new URL(base!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function recreate(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
  await ensureDatabase(url);
}

async function catalog(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"_prisma_migrations"'
        AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`),
      enums: (
        await q(`SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumlabel) AS labels
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`)
      ).map((r) => ({ typname: r.typname, labels: r.labels })),
    };
  } finally {
    await c.end();
  }
}

describe("migrations", () => {
  const fromMigrations = dbUrl("bulwark_migcheck_a");
  const fromSchema = dbUrl("bulwark_migcheck_b");

  beforeAll(async () => {
    await recreate(fromMigrations);
    await recreate(fromSchema);
  }, 60_000);

  afterAll(async () => {
    for (const url of [fromMigrations, fromSchema]) {
      const u = new URL(url);
      const name = u.pathname.slice(1);
      u.pathname = "/postgres";
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    }
  });

  it("reproduce schema.prisma exactly", async () => {
    const applied = await migrate(fromMigrations, path.join(root, "prisma/migrations"));
    expect(applied.applied.length).toBe(readMigrations(path.join(root, "prisma/migrations")).length);

    const sql = await diffSchema({
      databaseUrl: fromSchema,
      from: "empty",
      toDatamodel: readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"),
    });
    const c = new pg.Client({ connectionString: fromSchema });
    await c.connect();
    await c.query(sql);
    await c.end();

    const [a, b] = await Promise.all([catalog(fromMigrations), catalog(fromSchema)]);
    expect(a.enums).toEqual(b.enums);
    expect(a.columns).toEqual(b.columns);
    const raw = new Set<string>(RAW_SQL_INDEXES);
    const rawIndexes = (a.indexes as Array<{ indexname: string }>).filter((i) => raw.has(i.indexname));
    expect(rawIndexes.map((i) => i.indexname).sort()).toEqual([...RAW_SQL_INDEXES].sort());
    expect((a.indexes as Array<{ indexname: string }>).filter((i) => !raw.has(i.indexname))).toEqual(b.indexes);
    expect(a.constraints).toEqual(b.constraints);
    expect(a.columns.length).toBeGreaterThan(100);
  }, 120_000);

  it("are recorded like prisma migrate deploy and re-running applies nothing", async () => {
    const again = await migrate(fromMigrations, path.join(root, "prisma/migrations"));
    expect(again.applied).toEqual([]);
    const c = new pg.Client({ connectionString: fromMigrations });
    await c.connect();
    const { rows } = await c.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    await c.end();
    const files = readMigrations(path.join(root, "prisma/migrations"));
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      files.map((f) => [f.name, f.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("keep the audit log append-only", async () => {
    const c = new pg.Client({ connectionString: fromMigrations });
    await c.connect();
    try {
      await c.query(`INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES ('o1', 'o1', 'O1', now())`);
      await c.query(
        `INSERT INTO "AuditLog" (id, "orgId", "actorType", "actorLabel", action, "targetType") VALUES ('a1', 'o1', 'SYSTEM', 'test', 'test.action', 'org')`,
      );
      await expect(c.query(`UPDATE "AuditLog" SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
      const { rows } = await c.query(`SELECT action FROM "AuditLog"`);
      expect(rows).toEqual([{ action: "test.action" }]);
    } finally {
      await c.end();
    }
  });
});
