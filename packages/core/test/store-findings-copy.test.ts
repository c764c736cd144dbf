import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, withSqlTransaction } from "@bulwark/db";
import { type NormalizedFinding } from "../src/ingest/normalized.ts";
import { type FindingRow, upsertFindings } from "../src/ingest/store-findings.ts";
import { makeOrg, testDb } from "./helpers.ts";

// Bulk upserts take one of two input paths: COPY into a staging table (a SqlTransaction, many rows) or
// one jsonb parameter (Prisma, or few rows). Both must store exactly the same thing, including text that
// COPY's format has to escape.

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
});
