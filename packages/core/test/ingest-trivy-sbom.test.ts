import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { AppError } from "../src/errors.ts";
import { parseTrivyReport } from "../src/ingest/trivy.ts";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { getReport } from "../src/use-cases/get-report.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { testDb, uid } from "./helpers.ts";
import { clone, fixture, ingestOrg, post } from "./ingest-helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

type TrivyDoc = { Results: Array<{ Vulnerabilities?: unknown[] }> };

describe("Trivy reports", () => {
  it("stores every vulnerability of alpine-310 as one finding with its package, versions and severity", async () => {
    const { org, ctx } = await ingestOrg(db);
    const body = fixture("trivy/alpine-310.json.golden");
    const expected = parseTrivyReport(body);
    const { report, counts, result } = await post(db, ctx, "TRIVY", body);

    expect(result.outcome).toBe("processed");
    expect(report.status).toBe("PROCESSED");
    expect(report.attempts).toBe(1);
    expect(counts).toMatchObject({ findings: 4, created: 4, updated: 0, reopened: 0, unchanged: 0, resolved: 0, images: 1 });

    const image = await db.image.findUniqueOrThrow({ where: { orgId_digest: { orgId: org.id, digest: expected.image!.digest! } } });
    expect(image).toMatchObject({ registryHost: "ghcr.io", repository: "aquasecurity/trivy-test-images", osFamily: "alpine", osName: "3.10.2" });
    expect(image.tags).toContain("alpine-310");
    expect(image.lastScannedAt?.getTime()).toBe(report.receivedAt.getTime());

    const stored = await db.finding.findMany({ where: { orgId: org.id }, orderBy: [{ packageName: "asc" }, { ruleId: "asc" }] });
    expect(stored).toHaveLength(4);
    expect(stored.map((f) => [f.ruleId, f.packageName, f.packageVersion, f.fixedVersion, f.severity, f.type, f.status])).toEqual([
      ["CVE-2019-1549", "libcrypto1.1", "1.1.1c-r0", "1.1.1d-r0", "MEDIUM", "VULNERABILITY", "OPEN"],
      ["CVE-2019-1551", "libcrypto1.1", "1.1.1c-r0", "1.1.1d-r2", "MEDIUM", "VULNERABILITY", "OPEN"],
      ["CVE-2019-1549", "libssl1.1", "1.1.1c-r0", "1.1.1d-r0", "MEDIUM", "VULNERABILITY", "OPEN"],
      ["CVE-2019-1551", "libssl1.1", "1.1.1c-r0", "1.1.1d-r2", "MEDIUM", "VULNERABILITY", "OPEN"],
    ]);
    for (const f of stored) {
      const e = expected.findings.find((x) => x.fingerprint === f.fingerprint)!;
      expect(f).toMatchObject({ imageId: image.id, source: "trivy", title: e.title, fixable: e.fixable, cvssScore: e.cvssScore, evidence: e.evidence });
      expect(f.firstSeen.getTime()).toBe(report.receivedAt.getTime());
      expect(f.lastSeen.getTime()).toBe(report.receivedAt.getTime());
    }
  });

  it("re-posting the same report creates no duplicates, and re-processing a processed report changes nothing", async () => {
    const { org, ctx } = await ingestOrg(db);
    const body = fixture("trivy/debian-buster.json.golden");
    const first = await post(db, ctx, "TRIVY", body);
    expect(first.counts).toMatchObject({ created: 2 });
    const second = await post(db, ctx, "TRIVY", body);
    expect(second.id).not.toBe(first.id);
    expect(second.counts).toMatchObject({ findings: 2, created: 0, updated: 0, reopened: 0, unchanged: 2, resolved: 0 });
    expect(await db.finding.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db.image.count({ where: { orgId: org.id } })).toBe(1);

    const before = await db.finding.findMany({ where: { orgId: org.id }, orderBy: { id: "asc" } });
    const again = await processReport(db, second.id);
    expect(again).toMatchObject({ outcome: "skipped", status: "PROCESSED" });
    expect(await db.finding.findMany({ where: { orgId: org.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect((await db.report.findUniqueOrThrow({ where: { id: second.id } })).attempts).toBe(1);
  });

  it("a finding absent from a newer report resolves, and comes back reopened", async () => {
    const { org, ctx } = await ingestOrg(db);
    const body = fixture("trivy/alpine-310.json.golden") as TrivyDoc;
    await post(db, ctx, "TRIVY", body);
    const fewer = clone(body);
    const dropped = fewer.Results[0]!.Vulnerabilities!.shift() as { VulnerabilityID: string; PkgName: string };

    const second = await post(db, ctx, "TRIVY", fewer);
    expect(second.counts).toMatchObject({ findings: 3, created: 0, unchanged: 3, resolved: 1 });
    const gone = await db.finding.findFirstOrThrow({ where: { orgId: org.id, ruleId: dropped.VulnerabilityID, packageName: dropped.PkgName } });
    expect(gone.status).toBe("RESOLVED");
    expect(gone.resolvedAt?.getTime()).toBe(second.report.receivedAt.getTime());
    expect(await db.finding.count({ where: { orgId: org.id, status: "OPEN" } })).toBe(3);

    const third = await post(db, ctx, "TRIVY", body);
    expect(third.counts).toMatchObject({ findings: 4, created: 0, reopened: 1, unchanged: 3, resolved: 0 });
    const back = await db.finding.findUniqueOrThrow({ where: { id: gone.id } });
    expect(back).toMatchObject({ status: "OPEN", resolvedAt: null });
    expect(back.firstSeen.getTime()).toBe(gone.firstSeen.getTime());
    expect(back.lastSeen.getTime()).toBe(third.report.receivedAt.getTime());
  });

  it("keys findings of repository scans on the artifact, and keeps only masked secrets", async () => {
    const { org, ctx } = await ingestOrg(db);
    const secrets = await post(db, ctx, "TRIVY", fixture("trivy/secrets.json.golden"));
    const misconfig = await post(db, ctx, "TRIVY", fixture("trivy/dockerfile.json.golden"));
    expect(secrets.counts).toMatchObject({ findings: 2, created: 2, images: 0 });
    expect(misconfig.counts).toMatchObject({ findings: 1, created: 1, images: 0, resolved: 0 });
    const rows = await db.finding.findMany({ where: { orgId: org.id }, orderBy: { type: "asc" } });
    expect(rows.map((r) => r.type).sort()).toEqual(["MISCONFIGURATION", "SECRET", "SECRET"]);
    for (const r of rows) {
      expect(r.imageId).toBeNull();
      expect((r.evidence as { artifact?: string }).artifact).toMatch(/^testdata\/fixtures\/repo\//);
    }
    const misc = rows.find((r) => r.type === "MISCONFIGURATION")!;
    expect(misc.mitreTechniques.length).toBeGreaterThan(0);
    for (const s of rows.filter((r) => r.type === "SECRET")) {
      const text = JSON.stringify(s);
      expect(text).not.toMatch(/AKIA[0-9A-Z]{12,}/);
      expect(text).toContain("*");
    }
    // The secrets scan's findings are not resolved by a scan of a different artifact.
    expect(await db.finding.count({ where: { orgId: org.id, status: "OPEN" } })).toBe(3);
  });

  it("refuses a malformed report with field paths and stores nothing", async () => {
    const { org, ctx } = await ingestOrg(db);
    const wrongVersion = { ...(fixture("trivy/alpine-310.json.golden") as object), SchemaVersion: 1 };
    const err1 = await acceptReport(db, null, ctx, { kind: "TRIVY", body: wrongVersion }).catch((e: unknown) => e);
    expect(err1).toBeInstanceOf(AppError);
    expect((err1 as AppError).code).toBe("VALIDATION_FAILED");
    expect((err1 as AppError).fields?.map((f) => f.path)).toEqual(["SchemaVersion"]);

    const missing = { SchemaVersion: 2, ArtifactName: "x", Results: [{ Target: "t", Vulnerabilities: [{ PkgName: 5 }] }] };
    const err2 = await acceptReport(db, null, ctx, { kind: "TRIVY", body: missing }).catch((e: unknown) => e);
    expect((err2 as AppError).code).toBe("VALIDATION_FAILED");
    const paths = (err2 as AppError).fields?.map((f) => f.path) ?? [];
    expect(paths.some((p) => p.startsWith("Results.0.Vulnerabilities.0."))).toBe(true);
    expect(await db.report.count({ where: { orgId: org.id } })).toBe(0);
    expect(await db.finding.count({ where: { orgId: org.id } })).toBe(0);
  });
});

describe("reports API semantics", () => {
  it("an Idempotency-Key retry returns the same report, and another org cannot see it", async () => {
    const a = await ingestOrg(db);
    const b = await ingestOrg(db);
    const body = fixture("trivy/debian-buster.json.golden");
    const key = `retry-${uid()}`;
    const first = await acceptReport(db, null, a.ctx, { kind: "TRIVY", body, idempotencyKey: key });
    const retry = await acceptReport(db, null, a.ctx, { kind: "TRIVY", body, idempotencyKey: key });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await db.report.count({ where: { orgId: a.org.id } })).toBe(1);

    await processReport(db, first.id);
    expect(await getReport(db, a.ctx, first.id)).toMatchObject({ id: first.id, status: "PROCESSED", attempts: 1 });
    const err = await getReport(db, b.ctx, first.id).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("NOT_FOUND");
    expect(await db.finding.count({ where: { orgId: b.org.id } })).toBe(0);
  });
});

describe("SBOM reports", () => {
  it("stores the components as the image's packages, replacing them on a new SBOM", async () => {
    const { org, ctx } = await ingestOrg(db);
    const digest = `sha256:${"ab".repeat(32)}`;
    const body = fixture("sbom/trivy-centos-7-cyclonedx-1.5.json");
    const first = await post(db, ctx, "SBOM", body, digest);
    expect(first.counts).toMatchObject({ images: 1, packages: 2, components: 3 });
    const image = await db.image.findUniqueOrThrow({ where: { orgId_digest: { orgId: org.id, digest } }, include: { packages: true } });
    expect(image.repository).toBe("aquasecurity/trivy-test-images");
    expect(image.packages.map((p) => p.name).sort()).toHaveLength(2);
    for (const p of image.packages) expect(p.purl).toMatch(/^pkg:/);

    await post(db, ctx, "SBOM", body, digest);
    expect(await db.imagePackage.count({ where: { imageId: image.id } })).toBe(2);
  });

  it("a report that cannot be valid is FAILED with a message, not retried", async () => {
    const { ctx } = await ingestOrg(db);
    const accepted = await acceptReport(db, null, ctx, { kind: "SBOM", body: fixture("sbom/trivy-centos-7-cyclonedx-1.5.json"), subject: "not-a-digest" });
    const result = await processReport(db, accepted.id);
    expect(result).toMatchObject({ outcome: "failed", status: "FAILED" });
    const report = await db.report.findUniqueOrThrow({ where: { id: accepted.id } });
    expect(report.error).toMatch(/subject/);
    expect(await processReport(db, accepted.id)).toMatchObject({ outcome: "skipped", status: "FAILED" });
  });
});
