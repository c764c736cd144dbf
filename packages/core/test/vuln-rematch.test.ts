import { type Db } from "@bulwark/db";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { rematch } from "../src/vuln/rematch.ts";
import { runDeltaRescan } from "../src/vuln/run-scan.ts";
import { approveException } from "../src/use-cases/approve-exception.ts";
import { requestException } from "../src/use-cases/request-exception.ts";
import { makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// The matcher on the real database: stored image packages against stored advisories, full and delta,
// with the outcomes a team sees (opened, resolved, reopened, left to the scanner).

const db: Db = testDb();
const logger = createLogger("test", "silent");
afterAll(() => db.$disconnect());

async function image(orgId: string, packages: Array<{ ecosystem: string; name: string; version: string; srcName?: string; srcVersion?: string }>) {
  const digest = `sha256:${uid()}${"0".repeat(54)}`;
  const img = await db.image.create({ data: { orgId, digest, registryHost: "ghcr.io", repository: `acme/app-${uid()}`, tags: ["1.0"] } });
  await db.imagePackage.createMany({ data: packages.map((p) => ({ imageId: img.id, ...p })) });
  return img;
}

async function advisory(opts: { id?: string; ecosystem: string; name: string; fixed?: string; introduced?: string; aliases?: string[]; withdrawn?: boolean; severity?: "HIGH" | "CRITICAL" }) {
  const externalId = opts.id ?? `TEST-${uid()}`;
  const events = [{ introduced: opts.introduced ?? "0" }, ...(opts.fixed ? [{ fixed: opts.fixed }] : [])];
  return db.advisory.create({
    data: {
      externalId,
      aliases: opts.aliases ?? [],
      source: "test",
      summary: `${opts.name} flaw`,
      severity: opts.severity ?? "HIGH",
      cvssScore: 7.5,
      modifiedAt: new Date(),
      withdrawnAt: opts.withdrawn ? new Date() : null,
      packages: {
        create: [{ ecosystem: opts.ecosystem, name: opts.name, ranges: [{ type: "ECOSYSTEM", events }], versions: [], fixedVersions: opts.fixed ? [opts.fixed] : [] }],
      },
    },
  });
}

const bulwarkFindings = (imageId: string) =>
  db.finding.findMany({ where: { imageId, source: "bulwark" }, orderBy: { ruleId: "asc" }, select: { ruleId: true, status: true, packageName: true, packageVersion: true, fixedVersion: true, fixable: true, severity: true } });

describe("rematch", () => {
  it("opens findings for affected versions only, with the fix, per ecosystem semantics and release", async () => {
    const org = await makeOrg(db);
    const name = `openssl-${uid()}`;
    const img = await image(org.id, [
      { ecosystem: "Debian:12", name, version: "3.0.11-1~deb12u1" },
      { ecosystem: "Alpine:v3.18", name, version: "3.1.4-r0" },
    ]);
    const deb = await advisory({ ecosystem: "Debian:12", name, fixed: "3.0.11-1~deb12u2" });
    await advisory({ ecosystem: "Debian:11", name, fixed: "9.9.9-1" }); // another release: never matches
    const apkFixedBefore = await advisory({ ecosystem: "Alpine:v3.18", name, fixed: "3.1.4-r0" }); // installed = fixed: not affected
    const stats = await rematch(db, { kind: "FULL", imageIds: [img.id] });
    expect(stats).toMatchObject({ images: 1, matched: 1, opened: 1, resolved: 0, unparsableVersions: 0 });
    expect(await bulwarkFindings(img.id)).toEqual([
      { ruleId: deb.externalId, status: "OPEN", packageName: name, packageVersion: "3.0.11-1~deb12u1", fixedVersion: "3.0.11-1~deb12u2", fixable: true, severity: "HIGH" },
    ]);
    expect(apkFixedBefore.externalId).not.toBe(deb.externalId);
    const scanned = await db.image.findUniqueOrThrow({ where: { id: img.id } });
    expect(scanned.lastScannedAt).not.toBeNull();

    // A second run with nothing changed writes nothing.
    const again = await rematch(db, { kind: "FULL", imageIds: [img.id] });
    expect(again).toMatchObject({ matched: 1, opened: 0, unchanged: 1, rowsWritten: 0 });
  });

  it("delta: a new advisory opens its finding, withdrawing it resolves the finding, restoring reopens it", async () => {
    const org = await makeOrg(db);
    const name = `lodash-${uid()}`;
    const img = await image(org.id, [{ ecosystem: "npm", name, version: "4.17.20" }]);
    const unrelated = await image(org.id, [{ ecosystem: "npm", name: `other-${uid()}`, version: "1.0.0" }]);
    const adv = await advisory({ ecosystem: "npm", name, fixed: "4.17.21", severity: "CRITICAL" });

    const runs = await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ orgId: org.id, stats: { images: 1, opened: 1 } });
    const run = await db.scanRun.findUniqueOrThrow({ where: { id: runs[0]!.scanRunId } });
    expect(run).toMatchObject({ kind: "DELTA", status: "SUCCEEDED", total: 1, done: 1 });
    expect(await bulwarkFindings(img.id)).toMatchObject([{ ruleId: adv.externalId, status: "OPEN", severity: "CRITICAL", fixedVersion: "4.17.21" }]);
    expect(await bulwarkFindings(unrelated.id)).toEqual([]);

    await db.advisory.update({ where: { id: adv.id }, data: { withdrawnAt: new Date() } });
    const withdrawn = await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(withdrawn[0]?.stats).toMatchObject({ resolved: 1, opened: 0 });
    expect(await bulwarkFindings(img.id)).toMatchObject([{ status: "RESOLVED" }]);

    await db.advisory.update({ where: { id: adv.id }, data: { withdrawnAt: null } });
    const restored = await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(restored[0]?.stats).toMatchObject({ reopened: 1 });
    expect(await bulwarkFindings(img.id)).toMatchObject([{ status: "OPEN" }]);
  });

  it("delta: a range change that no longer covers the installed version resolves the match", async () => {
    const org = await makeOrg(db);
    const name = `requests-${uid()}`;
    const img = await image(org.id, [{ ecosystem: "PyPI", name, version: "2.30.0" }]);
    const adv = await advisory({ ecosystem: "PyPI", name, fixed: "2.31.0" });
    await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(await bulwarkFindings(img.id)).toMatchObject([{ status: "OPEN" }]);
    // The corrected advisory: only 2.31.0rc1 up to 2.31.0 were affected.
    await db.advisoryPackage.updateMany({ where: { advisoryId: adv.id }, data: { ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.31.0rc1" }, { fixed: "2.31.0" }] }] } });
    const runs = await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(runs[0]?.stats).toMatchObject({ resolved: 1 });
    expect(await bulwarkFindings(img.id)).toMatchObject([{ status: "RESOLVED" }]);
  });

  it("leaves a match to the scanner that already reports it under an alias", async () => {
    const org = await makeOrg(db);
    const name = `curl-${uid()}`;
    const img = await image(org.id, [{ ecosystem: "Debian:12", name, version: "7.88.1-10" }]);
    const cve = `CVE-2099-${uid()}`;
    await db.finding.create({
      data: { orgId: org.id, fingerprint: uid(), type: "VULNERABILITY", severity: "HIGH", title: "curl", ruleId: cve, source: "trivy", imageId: img.id, packageName: name, packageVersion: "7.88.1-10" },
    });
    await advisory({ id: `DSA-${uid()}`, ecosystem: "Debian:12", name, fixed: "7.88.1-10+deb12u1", aliases: [cve] });
    const stats = await rematch(db, { kind: "FULL", imageIds: [img.id] });
    expect(stats).toMatchObject({ matched: 0, duplicatesOfScanner: 1, opened: 0 });
    expect(await bulwarkFindings(img.id)).toEqual([]);
  });

  it("counts unparsable installed versions instead of failing the run", async () => {
    const org = await makeOrg(db);
    const name = `pkg-${uid()}`;
    const img = await image(org.id, [{ ecosystem: "npm", name, version: "not a version" }]);
    await advisory({ ecosystem: "npm", name, fixed: "1.0.0" });
    const stats = await rematch(db, { kind: "FULL", imageIds: [img.id] });
    expect(stats).toMatchObject({ candidates: 1, matched: 0, unparsableVersions: 1 });
  });

  it("keeps organizations apart: a delta run records one ScanRun per organization with only its images", async () => {
    const [a, b] = [await makeOrg(db), await makeOrg(db)];
    const name = `zlib-${uid()}`;
    const imgA = await image(a.id, [{ ecosystem: "Alpine:v3.19", name, version: "1.3-r0" }]);
    const imgB = await image(b.id, [{ ecosystem: "Alpine:v3.19", name, version: "1.3-r0" }]);
    const adv = await advisory({ ecosystem: "Alpine:v3.19", name, fixed: "1.3.1-r0" });
    const runs = await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(runs.map((r) => r.orgId).sort()).toEqual([a.id, b.id].sort());
    const fa = await db.finding.findMany({ where: { orgId: a.id, source: "bulwark" } });
    expect(fa.map((f) => f.imageId)).toEqual([imgA.id]);
    const fb = await db.finding.findMany({ where: { orgId: b.id, source: "bulwark" } });
    expect(fb.map((f) => f.imageId)).toEqual([imgB.id]);
  });

  it("stores a new match an approved exception covers as SUPPRESSED, in the same run", async () => {
    const org = await makeOrg(db);
    const admin = userCtx(org.id, (await makeMember(db, org.id, "ADMIN")).user, "ADMIN");
    const name = `glibc-${uid()}`;
    const img = await image(org.id, [{ ecosystem: "Debian:12", name, version: "2.36-9" }]);
    const cve = `CVE-2098-${String(Math.floor(Math.random() * 1e9)).padStart(9, "0")}`;
    const adv = await advisory({ id: `DSA-${uid()}`, ecosystem: "Debian:12", name, fixed: "2.36-9+deb12u4", aliases: [cve] });
    // Accepted by its CVE alias before Bulwark ever matched it.
    const ex = await requestException(db, admin, { kind: "RISK_ACCEPTED", scope: { advisory: cve }, reason: "not reachable in our build" });
    await approveException(db, admin, ex.exception.id);
    const runs = await runDeltaRescan(db, [adv.id], "test", { logger });
    expect(runs[0]?.stats).toMatchObject({ opened: 1, suppressed: 1 });
    const [f] = await db.finding.findMany({ where: { imageId: img.id, source: "bulwark" } });
    expect(f).toMatchObject({ status: "SUPPRESSED", exceptionId: ex.exception.id, ruleId: adv.externalId });
  });

  it("matches distro binaries through their source package, as distro advisories name sources", async () => {
    const org = await makeOrg(db);
    const src = `openssl-${uid()}`;
    const img = await image(org.id, [
      { ecosystem: "Debian:12", name: `libssl3-${src}`, version: "3.0.11-1~deb12u1", srcName: src, srcVersion: "3.0.11-1~deb12u1" },
      // A binNMU: the binary's version carries +b1, the source's does not.
      { ecosystem: "Debian:12", name: `${src}-bin`, version: "3.0.11-1~deb12u1+b1", srcName: src, srcVersion: "3.0.11-1~deb12u1" },
    ]);
    const adv = await advisory({ id: `DSA-${uid()}`, ecosystem: "Debian:12", name: src, fixed: "3.0.11-1~deb12u2" });
    const stats = await rematch(db, { kind: "FULL", imageIds: [img.id] });
    expect(stats).toMatchObject({ matched: 2, opened: 2 });
    const rows = await db.finding.findMany({ where: { imageId: img.id, source: "bulwark" }, orderBy: { packageName: "asc" }, select: { ruleId: true, packageName: true, packageVersion: true, fixedVersion: true, evidence: true } });
    expect(rows.map((r) => [r.ruleId, r.packageName, r.packageVersion, r.fixedVersion, (r.evidence as { sourcePackage: string }).sourcePackage])).toEqual([
      [adv.externalId, `libssl3-${src}`, "3.0.11-1~deb12u1", "3.0.11-1~deb12u2", src],
      [adv.externalId, `${src}-bin`, "3.0.11-1~deb12u1+b1", "3.0.11-1~deb12u2", src],
    ]);
  });
});
