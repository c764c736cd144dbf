import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Db } from "@bulwark/db";
import { afterAll, describe, expect, it } from "vitest";
import { importAdvisories } from "../src/use-cases/import-advisories.ts";
import { createLogger } from "../src/logger.ts";
import { rematch } from "../src/vuln/rematch.ts";
import { runDeltaRescan } from "../src/vuln/run-scan.ts";
import { clone, fixture, ingestOrg, post } from "./ingest-helpers.ts";
import { testDb, uid } from "./helpers.ts";

// The published OSV records (test/fixtures/osv, see NOTICE) imported through the real import path and
// matched against images ingested through the real connector path: the Trivy and CycloneDX fixtures as
// scanned, and SBOMs of the same shape holding the packages those records name, affected and not.

const db: Db = testDb();
afterAll(() => db.$disconnect());
const OSV_DIR = fileURLToPath(new URL("./fixtures/osv/", import.meta.url));

/** The CycloneDX fixture with its components replaced: same document shape as Trivy writes it. */
function sbomWith(components: Array<{ name: string; version: string; purl: string }>): unknown {
  const doc = clone(fixture("sbom/trivy-centos-7-cyclonedx-1.5.json")) as { components: unknown[] };
  doc.components = components.map((c) => ({ "bom-ref": c.purl, type: "library", name: c.name, version: c.version, purl: c.purl }));
  return doc;
}

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

async function bulwarkFindings(orgId: string) {
  const rows = await db.finding.findMany({
    where: { orgId, source: "bulwark" },
    select: { ruleId: true, packageName: true, packageVersion: true, fixedVersion: true, status: true, severity: true, image: { select: { digest: true } } },
  });
  return rows.map((r) => ({ ...r, image: r.image?.digest })).sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

describe("OSV fixtures against ingested images", () => {
  it("imports the records and matches exactly the affected packages", async () => {
    const imported = await importAdvisories(db, { location: OSV_DIR, source: "fixtures" });
    expect(imported.stats.invalid).toBe(0);
    expect(imported.stats.records).toBe(3);

    const { org, ctx } = await ingestOrg(db);
    // As scanned: Alpine 3.10, Debian 10 and CentOS 7 images. None of their packages is named by a record
    // for their release (mariadb is Alpine 3.12+, nginx Debian 7, jquery npm), so they must match nothing.
    await post(db, ctx, "TRIVY", fixture("trivy/alpine-310.json.golden"));
    await post(db, ctx, "TRIVY", fixture("trivy/debian-buster.json.golden"));
    await post(db, ctx, "SBOM", fixture("sbom/trivy-centos-7-cyclonedx-1.5.json"), digest(1));
    // Affected: each record's package at a version inside its range.
    await post(
      db,
      ctx,
      "SBOM",
      sbomWith([
        { name: "mariadb", version: "10.4.24-r0", purl: "pkg:apk/alpine/mariadb@10.4.24-r0?arch=x86_64&distro=3.12.1" },
        { name: "nginx", version: "1.2.1-2.2+wheezy2", purl: "pkg:deb/debian/nginx@1.2.1-2.2+wheezy2?arch=amd64&distro=debian-7.11" },
        { name: "jquery", version: "2.2.0", purl: "pkg:npm/jquery@2.2.0" },
      ]),
      digest(2),
    );
    // Not affected: fixed versions, a version before the range, and releases the records do not cover.
    await post(
      db,
      ctx,
      "SBOM",
      sbomWith([
        { name: "mariadb", version: "10.4.25-r0", purl: "pkg:apk/alpine/mariadb@10.4.25-r0?arch=x86_64&distro=3.12.1" },
        { name: "nginx", version: "1.2.1-2.2+wheezy3", purl: "pkg:deb/debian/nginx@1.2.1-2.2+wheezy3?arch=amd64&distro=debian-7.11" },
        { name: "jquery", version: "2.1.0", purl: "pkg:npm/jquery@2.1.0" },
      ]),
      digest(3),
    );
    await post(
      db,
      ctx,
      "SBOM",
      sbomWith([
        { name: "mariadb", version: "10.4.24-r0", purl: "pkg:apk/alpine/mariadb@10.4.24-r0?arch=x86_64&distro=3.11.2" },
        { name: "nginx", version: "1.2.1-2.2+wheezy2", purl: "pkg:deb/debian/nginx@1.2.1-2.2+wheezy2?arch=amd64&distro=debian-10.1" },
        { name: "jquery", version: "3.0.0", purl: "pkg:npm/jquery@3.0.0" },
      ]),
      digest(4),
    );

    const imageIds = (await db.image.findMany({ where: { orgId: org.id }, select: { id: true } })).map((i) => i.id);
    expect(imageIds).toHaveLength(6);
    // Advisories are instance-wide and other tests store theirs in the same database: the run is limited to
    // the three fixture records, so the expectation is exact.
    const ids = ["CVE-2022-27449", "DSA-3029-1", "GHSA-mhpp-875w-9cpv"];
    const advisoryIds = (await db.advisory.findMany({ where: { externalId: { in: ids } }, select: { id: true } })).map((a) => a.id);
    expect(advisoryIds).toHaveLength(3);
    const stats = await rematch(db, { kind: "DELTA", advisoryIds, imageIds });
    expect(stats).toMatchObject({ images: 6, matched: 3, opened: 3, unparsableVersions: 0, duplicatesOfScanner: 0 });
    expect(await bulwarkFindings(org.id)).toEqual([
      { ruleId: "CVE-2022-27449", packageName: "mariadb", packageVersion: "10.4.24-r0", fixedVersion: "10.4.25-r0", status: "OPEN", severity: "INFO", image: digest(2) },
      { ruleId: "DSA-3029-1", packageName: "nginx", packageVersion: "1.2.1-2.2+wheezy2", fixedVersion: "1.2.1-2.2+wheezy3", status: "OPEN", severity: "INFO", image: digest(2) },
      { ruleId: "GHSA-mhpp-875w-9cpv", packageName: "jquery", packageVersion: "2.2.0", fixedVersion: "3.0.0", status: "OPEN", severity: "INFO", image: digest(2) },
    ]);
  });

  it("delta through the import path: a new record opens its finding, the same record withdrawn resolves it", async () => {
    const { org, ctx } = await ingestOrg(db);
    const name = `mariadb-${uid()}`;
    await post(db, ctx, "SBOM", sbomWith([{ name, version: "10.4.24-r0", purl: `pkg:apk/alpine/${name}@10.4.24-r0?arch=x86_64&distro=3.12.1` }]), digest(5));
    const dir = mkdtempSync(path.join(os.tmpdir(), "osv-delta-"));
    const id = `CVE-2096-${String(Math.floor(Math.random() * 1e9)).padStart(9, "0")}`;
    // The CVE-2022-27449 record's shape for a package only this test's image holds.
    const record = (modified: string, withdrawn?: string) => ({
      ...(clone(fixture("../../../test/fixtures/osv/CVE-2022-27449.json")) as Record<string, unknown>),
      id,
      modified,
      ...(withdrawn ? { withdrawn } : {}),
      affected: [{ package: { name, ecosystem: "Alpine:v3.12" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "10.4.25-r0" }] }] }],
    });
    const logger = createLogger("test", "silent");
    const findings = () => db.finding.findMany({ where: { orgId: org.id, ruleId: id }, select: { status: true, fixedVersion: true } });
    try {
      writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(record("2026-11-01T00:00:00Z")));
      const added = await importAdvisories(db, { location: dir, source: "delta-test" });
      expect(added.stats).toMatchObject({ inserted: 1 });
      const opened = await runDeltaRescan(db, added.changedAdvisoryIds, "import:delta-test", { logger });
      expect(opened.find((r) => r.orgId === org.id)?.stats).toMatchObject({ opened: 1 });
      expect(await findings()).toEqual([{ status: "OPEN", fixedVersion: "10.4.25-r0" }]);

      writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(record("2026-11-02T00:00:00Z", "2026-11-02T00:00:00Z")));
      const withdrawn = await importAdvisories(db, { location: dir, source: "delta-test" });
      expect(withdrawn.stats).toMatchObject({ withdrawn: 1 });
      const resolved = await runDeltaRescan(db, withdrawn.changedAdvisoryIds, "import:delta-test", { logger });
      expect(resolved.find((r) => r.orgId === org.id)?.stats).toMatchObject({ resolved: 1 });
      expect(await findings()).toEqual([{ status: "RESOLVED", fixedVersion: "10.4.25-r0" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
