import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, plainSql, Prisma, withSqlTransaction } from "@bulwark/db";
import { type NormalizedFinding } from "../src/ingest/normalized.ts";
import { type FindingRow, upsertFindings } from "../src/ingest/store-findings.ts";
import { makeOrg, testDb } from "./helpers.ts";

// Bulk upserts take one of two input paths: on a SqlTransaction, findings the organization has never
// seen are COPYed straight into "Finding" and the rest are COPY-staged (many rows) before the upsert;
// on Prisma's client everything travels as one jsonb parameter. All must store exactly the same thing,
// including text that COPY's format has to escape.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const AWKWARD = ['tab\there', "new\nline", "back\\slash", 'quote "q"', "comma, {brace}", "\\N", "ünïcødé ✓", "cr\rlf", ""];

function rows(n: number): FindingRow[] {
  const at = new Date("2026-11-01T10:00:00.000Z");
  return Array.from({ length: n }, (_, i) => {
    const odd = AWKWARD[i % AWKWARD.length]!;
    const finding: NormalizedFinding = {
      fingerprint: `fp-${i}`,
      type: i % 3 === 0 ? "SECRET" : "VULNERABILITY",
      severity: (["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const)[i % 5]!,
      title: `Finding ${i}: ${odd}`,
      description: i % 7 === 0 ? null : `Description ${odd}`,
      ruleId: `CVE-2026-${1000 + i}`,
      source: "trivy",
      packageName: i % 4 === 0 ? null : `pkg-${i % 40}`,
      packageVersion: i % 4 === 0 ? null : "1.0.0",
      fixedVersion: i % 2 === 0 ? null : "1.0.1",
      fixable: i % 2 === 1,
      cvssScore: i % 5 === 0 ? null : 9.8 - (i % 5),
      mitreTechniques: i % 3 === 0 ? ["T1552.001", `odd,"${odd}"`] : [],
      evidence: { file: `/app/${odd}`, line: i, nested: { list: [odd, null, true] } },
      remediation: i % 6 === 0 ? null : `Upgrade ${odd}`,
      target: "/app",
    };
    return { finding, firstSeen: at, lastSeen: at };
  });
}

const SELECT = {
  fingerprint: true, type: true, severity: true, status: true, title: true, description: true, ruleId: true, source: true,
  packageName: true, packageVersion: true, fixedVersion: true, fixable: true, cvssScore: true, mitreTechniques: true,
  evidence: true, remediation: true, occurrences: true, firstSeen: true, lastSeen: true,
} as const;

describe("bulk finding upserts", () => {
  it("store the same rows through COPY staging as through one jsonb parameter", async () => {
    const viaCopy = await makeOrg(db, "copy");
    const viaJson = await makeOrg(db, "json");
    const input = rows(700);

    const copied = await withSqlTransaction(db, (tx) => upsertFindings(tx, viaCopy.id, input));
    const json = await db.$transaction((tx) => upsertFindings(tx, viaJson.id, input));
    expect(copied.created).toBe(700);
    expect(json.created).toBe(700);

    const read = (orgId: string) => db.finding.findMany({ where: { orgId }, select: SELECT, orderBy: { fingerprint: "asc" } });
    const [a, b] = await Promise.all([read(viaCopy.id), read(viaJson.id)]);
    expect(a).toHaveLength(700);
    expect(a).toEqual(b);
    const tricky = a.find((f) => f.fingerprint === "fp-3")!;
    expect(tricky.title).toBe("Finding 3: quote \"q\"");
    expect(tricky.mitreTechniques).toEqual(["T1552.001", 'odd,"quote "q""']);
    expect(a.find((f) => f.fingerprint === "fp-5")!.evidence).toEqual({ file: "/app/\\N", line: 5, nested: { list: ["\\N", null, true] } });
  });

  it("a second COPY-staged upsert of the same rows in one transaction counts them unchanged, and a rollback keeps nothing", async () => {
    const org = await makeOrg(db, "copy2");
    const input = rows(600);
    const [first, second] = await withSqlTransaction(db, async (tx) => [await upsertFindings(tx, org.id, input), await upsertFindings(tx, org.id, input)]);
    expect(first.created).toBe(600);
    expect(second).toMatchObject({ created: 0, unchanged: 600 });

    const other = await makeOrg(db, "copy3");
    await expect(
      withSqlTransaction(db, async (tx) => {
        await upsertFindings(tx, other.id, input);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db.finding.count({ where: { orgId: other.id } })).toBe(0);
  });

  it("a mix of new, open, resolved and changed findings counts and stores the same on both paths", async () => {
    const later = new Date("2026-11-02T10:00:00.000Z");
    const base = rows(40);
    const next = [
      ...base.slice(0, 10), // unchanged
      ...base.slice(10, 20).map((r) => ({ ...r, finding: { ...r.finding, severity: "LOW" as const, title: `${r.finding.title} (rescored)` }, lastSeen: later })), // updated
      ...base.slice(20, 30).map((r) => ({ ...r, lastSeen: later })), // resolved before → reopened
      ...rows(60).slice(40), // new
    ];
    const results = [];
    for (const path of ["copy", "json"] as const) {
      const org = await makeOrg(db, `mix-${path}`);
      await db.$transaction((tx) => upsertFindings(tx, org.id, base));
      await db.finding.updateMany({ where: { orgId: org.id, fingerprint: { in: base.slice(20, 30).map((r) => r.finding.fingerprint) } }, data: { status: "RESOLVED", resolvedAt: new Date("2026-11-01T12:00:00.000Z") } });
      const counts = path === "copy" ? await withSqlTransaction(db, (tx) => upsertFindings(tx, org.id, next)) : await db.$transaction((tx) => upsertFindings(tx, org.id, next));
      const stored = await db.finding.findMany({ where: { orgId: org.id }, select: SELECT, orderBy: { fingerprint: "asc" } });
      results.push({ counts: { created: counts.created, updated: counts.updated, reopened: counts.reopened, unchanged: counts.unchanged }, stored });
    }
    expect(results[0]!.counts).toEqual({ created: 20, updated: 10, reopened: 10, unchanged: 10 });
    expect(results[0]!.counts).toEqual(results[1]!.counts);
    expect(results[0]!.stored).toHaveLength(60);
    expect(results[0]!.stored).toEqual(results[1]!.stored);
  });

  it("a fingerprint repeated within one call is inserted once and then updated in order", async () => {
    const org = await makeOrg(db, "repeat");
    const [first] = rows(1);
    const again = { ...first!, finding: { ...first!.finding, fixedVersion: "2.0.0", title: "newer" }, lastSeen: new Date("2026-11-03T00:00:00.000Z") };
    const counts = await withSqlTransaction(db, (tx) => upsertFindings(tx, org.id, [first!, again]));
    expect(counts.created).toBe(1);
    expect(counts.updated).toBe(1);
    const stored = await db.finding.findMany({ where: { orgId: org.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ title: "newer", fixedVersion: "2.0.0", lastSeen: new Date("2026-11-03T00:00:00.000Z") });
  });

  it("rows of an image wrongly claimed new fail on the unique key instead of being stored twice", async () => {
    const org = await makeOrg(db, "claimed-new");
    const image = await db.image.create({ data: { orgId: org.id, digest: `sha256:${"a".repeat(64)}`, registryHost: "r", repository: "x" } });
    const input = rows(5).map((r) => ({ ...r, imageId: image.id }));
    await withSqlTransaction(db, (tx) => upsertFindings(tx, org.id, input));
    await expect(withSqlTransaction(db, (tx) => upsertFindings(tx, org.id, input, { newImageIds: new Set([image.id]) }))).rejects.toMatchObject({ code: "23505" });
    expect(await db.finding.count({ where: { orgId: org.id } })).toBe(5);
  });
});

describe("plainSql", () => {
  it("answers values as Prisma's raw queries do: timestamps as the UTC wall clock, int8 as bigint", async () => {
    const query = Prisma.sql`SELECT '2026-11-29 01:02:03.456'::timestamp(3) AS at, 42::int8 AS n, '{"a":1}'::jsonb AS j, 'x'::bytea AS b`;
    const [plain] = await plainSql(db).$queryRaw<Array<{ at: Date; n: bigint; j: unknown; b: Uint8Array }>>(query);
    const [prisma] = await db.$queryRaw<Array<{ at: Date; n: bigint; j: unknown; b: Uint8Array }>>(query);
    expect(plain!.at.toISOString()).toBe("2026-11-29T01:02:03.456Z");
    expect(plain!.at).toEqual(prisma!.at);
    expect(plain!.n).toBe(42n);
    expect(plain!.n).toBe(prisma!.n);
    expect(plain!.j).toEqual(prisma!.j);
    expect(Buffer.from(plain!.b).toString()).toBe("x");
  });
});
