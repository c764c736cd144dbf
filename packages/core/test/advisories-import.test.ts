import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@bulwark/db";
import { importAdvisories } from "../src/use-cases/import-advisories.ts";
import { AdvisoryImportAborted } from "../src/advisories/import-items.ts";
import { storeAdvisories } from "../src/advisories/store-advisories.ts";
import { AppError } from "../src/errors.ts";
import { parseOsvRecord, type NormalizedAdvisory } from "@bulwark/vuln";
import { testDb, uid } from "./helpers.ts";
import { fixtureSet, later, writeTree, zipOf, type OsvRecord } from "./advisories-helpers.ts";

// The advisory import against the real database: what a directory, a zip or a JSON file stores, that
// re-imports touch nothing, that newer records replace older ones (packages included) and older
// copies never do, and that bad input costs only itself.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const advisoryOf = (externalId: string) =>
  db.advisory.findUniqueOrThrow({ where: { externalId }, include: { packages: { orderBy: [{ ecosystem: "asc" }, { name: "asc" }] } } });

/** Rewrites the uncompressed size an entry declares (local and central headers), as a hostile zip would. */
function understate(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = Buffer.from(zip);
  const nameBytes = Buffer.from(name);
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50 && out.subarray(i + 30, i + 30 + nameBytes.length).equals(nameBytes)) out.writeUInt32LE(size, i + 22);
    if (sig === 0x02014b50 && out.subarray(i + 46, i + 46 + nameBytes.length).equals(nameBytes)) out.writeUInt32LE(size, i + 24);
  }
  return out;
}

function normalized(record: OsvRecord): NormalizedAdvisory {
  const parsed = parseOsvRecord(record);
  if (!parsed.ok) throw new Error(`fixture does not parse: ${JSON.stringify(parsed.issues)}`);
  return parsed.advisory;
}

describe("importAdvisories from a directory", () => {
  it("stores every record with its packages, reports bad files and records, and continues", async () => {
    const f = fixtureSet();
    const unknownEco = { ...f.dsa, id: `DSA-9999-1-${f.tag}`, affected: [{ package: { ecosystem: "Plan9", name: "rc" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2" }] }] }] };
    const badVersion = { ...f.dsa, id: `DSA-9998-1-${f.tag}`, affected: [{ package: { ecosystem: "Debian:12", name: "nginx" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "not a version!" }] }] }] };
    const dir = writeTree({
      "npm/ghsa.json": f.ghsa,
      "alpine/nested/mariadb.json": f.mariadb,
      "debian/dsa.json": f.dsa,
      "debian/unknown-eco.json": unknownEco,
      "debian/bad-version.json": badVersion,
      "broken/not-json.json": "{ this is not json",
      "broken/no-modified.json": { id: `GHSA-xxxx-yyyy-${f.tag}`, summary: "no modified field" },
      "ignored/readme.txt": "not an advisory",
    });

    const res = await importAdvisories(db, { location: dir });
    expect(res.stats).toEqual({ files: 7, records: 7, inserted: 5, updated: 0, unchanged: 0, withdrawn: 0, invalid: 2 });
    expect(res.changedAdvisoryIds).toHaveLength(5);
    const errors = res.issues.filter((i) => i.level === "error");
    expect(errors.find((i) => i.origin === "broken/not-json.json")).toMatchObject({ id: null, message: expect.stringContaining("invalid JSON") });
    expect(errors.find((i) => i.origin === "broken/no-modified.json")).toMatchObject({ id: `GHSA-xxxx-yyyy-${f.tag}`, path: "modified" });
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "debian/unknown-eco.json", id: unknownEco.id, level: "warning", message: expect.stringContaining('unknown ecosystem "Plan9"') }));
    expect(res.issues).toContainEqual(
      expect.objectContaining({ origin: "debian/bad-version.json", path: "package.Debian:12/nginx.ranges.0.events.1.fixed", message: expect.stringContaining('"not a version!"') }),
    );
    expect(res.issueCount).toBe(res.issues.length);

    const ghsa = await advisoryOf(f.ghsa.id);
    expect(ghsa).toMatchObject({ source: "import", aliases: ["CVE-2016-10707"], summary: "Denial of Service in jquery", withdrawnAt: null, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(ghsa.modifiedAt.toISOString()).toBe("2021-09-15T20:10:34.000Z");
    expect(ghsa.packages).toMatchObject([{ ecosystem: "npm", name: "jquery", fixedVersions: ["3.0.0"], ranges: [{ type: "SEMVER", events: [{ introduced: "2.1.1-0" }, { fixed: "3.0.0" }] }] }]);
    const mariadb = await advisoryOf(f.mariadb.id);
    expect(mariadb.publicExploit).toBe(true); // an EVIDENCE reference
    expect(mariadb.packages.map((p) => `${p.ecosystem} ${p.name} ${p.fixedVersions.join()}`)).toEqual([
      "Alpine:v3.12 mariadb 10.4.25-r0",
      "Alpine:v3.13 mariadb 10.5.16-r0",
      "Alpine:v3.14 mariadb 10.5.16-r0",
      "Alpine:v3.15 mariadb 10.6.8-r0",
      "Alpine:v3.16 mariadb 10.6.8-r0",
    ]);
    expect((await advisoryOf(f.dsa.id)).packages).toMatchObject([{ ecosystem: "Debian:7", name: "nginx", fixedVersions: ["1.2.1-2.2+wheezy3"] }]);
    // Stored despite the warning: aliases and text are still useful without a version scheme.
    expect((await advisoryOf(unknownEco.id)).packages).toMatchObject([{ ecosystem: "Plan9", name: "rc" }]);
    expect(await db.advisory.count({ where: { externalId: `GHSA-xxxx-yyyy-${f.tag}` } })).toBe(0);
    const ids = (await db.advisory.findMany({ where: { externalId: { endsWith: `-${f.tag}` } }, select: { id: true } })).map((a) => a.id);
    expect(res.changedAdvisoryIds.sort()).toEqual(ids.sort());

    // The same data again: nothing is written.
    const before = await advisoryOf(f.mariadb.id);
    const again = await importAdvisories(db, { location: dir }, { batchSize: 2 });
    expect(again.stats).toMatchObject({ records: 7, inserted: 0, updated: 0, withdrawn: 0, unchanged: 5, invalid: 2 });
    expect(again.changedAdvisoryIds).toEqual([]);
    const after = await advisoryOf(f.mariadb.id);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.packages.map((p) => p.id)).toEqual(before.packages.map((p) => p.id));
  });

  it("a newer record replaces the stored one and its packages; an older copy is ignored; withdrawal is counted", async () => {
    const f = fixtureSet();
    await importAdvisories(db, { location: writeTree({ "a.json": f.mariadb, "b.json": f.ghsa }) });
    const oldPackageIds = (await advisoryOf(f.mariadb.id)).packages.map((p) => p.id);

    const newer = { ...f.mariadb, modified: later(f.mariadb.modified), affected: [{ package: { name: "mariadb", ecosystem: "Alpine:v3.20" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "10.11.6-r0" }] }] }] };
    const withdrawn = { ...f.ghsa, modified: later(f.ghsa.modified), withdrawn: later(f.ghsa.modified) };
    const res = await importAdvisories(db, { location: writeTree({ "a.json": newer, "b.json": withdrawn }) });
    expect(res.stats).toMatchObject({ inserted: 0, updated: 1, withdrawn: 1, unchanged: 0 });
    const stored = await advisoryOf(f.mariadb.id);
    expect(res.changedAdvisoryIds.sort()).toEqual([stored.id, (await advisoryOf(f.ghsa.id)).id].sort());
    expect(stored.packages).toMatchObject([{ ecosystem: "Alpine:v3.20", name: "mariadb", fixedVersions: ["10.11.6-r0"] }]);
    expect(await db.advisoryPackage.count({ where: { id: { in: oldPackageIds } } })).toBe(0);
    const ghsa = await advisoryOf(f.ghsa.id);
    expect(ghsa.withdrawnAt?.toISOString()).toBe(new Date(withdrawn.withdrawn).toISOString());

    // A feed replaying the original (older) records changes nothing.
    const replay = await importAdvisories(db, { location: writeTree({ "a.json": { ...f.mariadb, summary: "older text" } }) });
    expect(replay.stats).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect(replay.changedAdvisoryIds).toEqual([]);
    expect((await advisoryOf(f.mariadb.id)).packages).toMatchObject([{ ecosystem: "Alpine:v3.20" }]);
  });
});

describe("importAdvisories from zips and JSON files", () => {
  it("reads a zip, a JSON array file, and zips inside a directory", async () => {
    const f = fixtureSet();
    const zipDir = writeTree({ "Alpine/all.zip": zipOf({ "CVE.json": f.mariadb, "sub/": "", "notes.txt": "x" }) });
    const fromZip = await importAdvisories(db, { location: join(zipDir, "Alpine/all.zip"), source: `zip-${f.tag}` });
    expect(fromZip.stats).toMatchObject({ files: 1, records: 1, inserted: 1, invalid: 0 });
    expect((await advisoryOf(f.mariadb.id)).source).toBe(`zip-${f.tag}`);

    const arrayFile = join(writeTree({ "records.json": [f.ghsa, f.dsa, { id: "nope" }] }), "records.json");
    const fromArray = await importAdvisories(db, { location: arrayFile });
    expect(fromArray.stats).toMatchObject({ files: 1, records: 3, inserted: 2, invalid: 1 });
    expect(fromArray.issues).toContainEqual(expect.objectContaining({ origin: "records.json", id: "nope", level: "error" }));

    // A directory holding the zip: the entry's origin names the zip and the entry.
    const g = fixtureSet();
    const nested = writeTree({ "osv/Debian.zip": zipOf({ "DSA.json": g.dsa, "bad.json": "[1, 2" }) });
    const res = await importAdvisories(db, { location: nested });
    expect(res.stats).toMatchObject({ files: 2, records: 2, inserted: 1, invalid: 1 });
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "osv/Debian.zip!bad.json", id: null, level: "error" }));
  });

  it("reports a corrupt zip and an oversized entry as issues and imports the rest", async () => {
    const f = fixtureSet();
    const good = zipOf({ "GHSA.json": f.ghsa, "big.json": { ...f.dsa, details: "x".repeat(50_000) }, "CVE.json": f.mariadb });
    const dir = writeTree({
      "a-corrupt.zip": new TextEncoder().encode("PK\u0003\u0004 this is no zip at all"),
      "b-truncated.zip": good.slice(0, Math.floor(good.length / 2)),
      "c-good.zip": good,
      "d.json": f.dsa,
    });
    const res = await importAdvisories(db, { location: dir }, { limits: { maxEntryBytes: 20_000 } });
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "a-corrupt.zip", level: "error", message: expect.stringContaining("not a readable zip") }));
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "b-truncated.zip", level: "error" }));
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "c-good.zip!big.json", message: expect.stringContaining("over the 20000-byte limit") }));
    expect(res.stats).toMatchObject({ files: 3, records: 3, inserted: 3 });
    for (const r of [f.ghsa, f.mariadb, f.dsa]) expect((await advisoryOf(r.id)).externalId).toBe(r.id);
  });

  it("never inflates more than the bounds: a bomb entry is skipped unread, an entry lying about its size is cut off", async () => {
    const f = fixtureSet();
    const bomb = zipOf({ "bomb.json": new Uint8Array(6 * 1024 * 1024).fill(0x20), "GHSA.json": f.ghsa });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const liar = understate(zipOf({ "liar.json": { ...f.dsa, details: "y".repeat(40_000) }, "CVE.json": f.mariadb }), "liar.json", 100);
    const dir = writeTree({ "bomb.zip": bomb, "liar.zip": liar });
    const res = await importAdvisories(db, { location: dir });
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "bomb.zip!bomb.json", message: expect.stringContaining("over the 5242880-byte limit") }));
    expect(res.issues).toContainEqual(expect.objectContaining({ origin: "liar.zip!liar.json", message: expect.stringContaining("cannot read zip entry") }));
    expect(res.stats).toMatchObject({ files: 2, inserted: 2 });
    expect(await db.advisory.count({ where: { externalId: f.dsa.id } })).toBe(0);
  });

  it("stops at the source-wide byte bound, keeping what was read before it", async () => {
    const f = fixtureSet();
    const dir = writeTree({ "1.json": f.ghsa, "2.json": f.mariadb, "3.json": f.dsa });
    const size = JSON.stringify(f.ghsa, null, 2).length;
    const res = await importAdvisories(db, { location: dir }, { limits: { maxTotalBytes: size + 10 } });
    expect(res.stats).toMatchObject({ files: 1, inserted: 1 });
    expect(res.issues).toContainEqual(expect.objectContaining({ message: expect.stringContaining("uncompressed bytes; the rest is not read") }));
  });

  it("fails on a missing path and an invalid source name without storing anything", async () => {
    await expect(importAdvisories(db, { location: `/nonexistent/${uid()}` })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(importAdvisories(db, { location: writeTree({}), source: "bad name!" })).rejects.toBeInstanceOf(AppError);
  });
});

describe("storing", () => {
  it("counts a record given twice in one batch once, the newer copy winning", async () => {
    const f = fixtureSet();
    const a = normalized(f.dsa);
    const b = normalized({ ...f.dsa, modified: later(f.dsa.modified), summary: "newer" });
    const res = await storeAdvisories(db, [b, a], "test");
    expect(res).toMatchObject({ inserted: 1, unchanged: 1 });
    expect((await advisoryOf(f.dsa.id)).summary).toBe("newer");
  });

  it("a failing import keeps everything stored before and reports what it stored", async () => {
    const f = fixtureSet();
    await importAdvisories(db, { location: writeTree({ "a.json": f.dsa }) });
    const stored = await advisoryOf(f.dsa.id);
    // A database that refuses every statement: nothing is written, nothing is deleted.
    const down = createDb("postgresql://bulwark@127.0.0.1:1/none", { max: 1 });
    try {
      const changed = { ...f.dsa, modified: later(f.dsa.modified), summary: "changed" };
      const err = await importAdvisories(down, { location: writeTree({ "a.json": changed, "b.json": f.ghsa }) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdvisoryImportAborted);
      expect((err as AdvisoryImportAborted).message).toMatch(/^import stopped: database error/);
      expect((err as AdvisoryImportAborted).partial.stats).toMatchObject({ records: 2, inserted: 0, updated: 0 });
    } finally {
      await down.$disconnect();
    }
    const after = await advisoryOf(f.dsa.id);
    expect(after.summary).toBe(stored.summary);
    expect(after.packages.map((p) => p.id)).toEqual(stored.packages.map((p) => p.id));
    expect(await db.advisory.count({ where: { externalId: f.ghsa.id } })).toBe(0);
  });

  it("strips NUL characters that Postgres would refuse, instead of failing the batch", async () => {
    const f = fixtureSet();
    const path = join(writeTree({}), "nul.json");
    writeFileSync(path, JSON.stringify({ ...f.dsa, summary: "nginx\u0000 update" }));
    const res = await importAdvisories(db, { location: path });
    expect(res.stats).toMatchObject({ inserted: 1, invalid: 0 });
    expect((await advisoryOf(f.dsa.id)).summary).toBe("nginx update");
  });
});
