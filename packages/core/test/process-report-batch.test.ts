import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { gzipSync } from "node:zlib";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { testDb } from "./helpers.ts";
import { clone, fixture, ingestOrg } from "./ingest-helpers.ts";

// Trivy reports waiting together are stored together (one transaction, a few statements); these tests
// pin that batching changes nothing a single report would see: counts per report, lifecycle, isolation.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

type TrivyDoc = { Metadata: { RepoDigests: string[] }; Results: Array<{ Vulnerabilities?: unknown[] }> };

/** The alpine-310 report re-addressed to another digest, so each copy is a different image. */
function imageReport(n: number, dropVulns = 0): TrivyDoc {
  const body = clone(fixture("trivy/alpine-310.json.golden")) as TrivyDoc & { Metadata: { ImageID?: string; RepoDigests: string[] } };
  const digest = `sha256:${n.toString(16).padStart(64, "0")}`;
  body.Metadata.RepoDigests = [`ghcr.io/acme/app-${n}@${digest}`];
  if (dropVulns) body.Results[0]!.Vulnerabilities = body.Results[0]!.Vulnerabilities!.slice(dropVulns);
  return body;
}

describe("batched Trivy processing", () => {
  it("processes waiting reports of the org together, each with its own counts, and their jobs then skip", async () => {
    const { org, ctx } = await ingestOrg(db);
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport(n) })).id);

    const first = await processReport(db, ids[0]!, { batchSize: 10 });
    expect(first).toMatchObject({ outcome: "processed", counts: { findings: 4, created: 4, images: 1 } });
    expect(first.batched?.sort()).toEqual(ids.slice(1).sort());
    const reports = await db.report.findMany({ where: { orgId: org.id }, orderBy: { receivedAt: "asc" } });
    expect(reports.map((r) => r.status)).toEqual(["PROCESSED", "PROCESSED", "PROCESSED", "PROCESSED", "PROCESSED"]);
    for (const r of reports) expect(r.counts).toMatchObject({ findings: 4, created: 4, updated: 0, unchanged: 0, resolved: 0, images: 1 });
    expect(await db.finding.count({ where: { orgId: org.id } })).toBe(20);
    expect(await db.image.count({ where: { orgId: org.id } })).toBe(5);

    // The companions' own jobs arrive later and change nothing.
    for (const id of ids.slice(1)) expect(await processReport(db, id, { batchSize: 10 })).toMatchObject({ outcome: "skipped", status: "PROCESSED" });
    expect(await db.finding.count({ where: { orgId: org.id } })).toBe(20);
  });

  it("applies two scans of the same image in the order received: the newer one resolves what it lacks", async () => {
    const { org, ctx } = await ingestOrg(db);
    const older = await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport(7) });
    await new Promise((r) => setTimeout(r, 5));
    const newer = await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport(7, 1) });

    await processReport(db, newer.id, { batchSize: 10 });
    const [a, b] = await Promise.all([older, newer].map((r) => db.report.findUniqueOrThrow({ where: { id: r.id } })));
    expect(a!.status).toBe("PROCESSED");
    expect(b!.status).toBe("PROCESSED");
    expect(a!.counts).toMatchObject({ findings: 4, created: 4, resolved: 0 });
    expect(b!.counts).toMatchObject({ findings: 3, created: 0, unchanged: 3, resolved: 1 });
    const findings = await db.finding.findMany({ where: { orgId: org.id } });
    expect(findings.filter((f) => f.status === "OPEN")).toHaveLength(3);
    expect(findings.filter((f) => f.status === "RESOLVED")).toHaveLength(1);
  });

  it("fails an invalid companion on its own and still stores the others", async () => {
    const { org, ctx } = await ingestOrg(db);
    const good = await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport(11) });
    const bad = await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport(12) });
    // A body that passed validation once but no longer parses (e.g. written by an older version).
    await db.report.update({ where: { id: bad.id }, data: { body: gzipSync(JSON.stringify({ SchemaVersion: 2, Results: "nope" })) } });
    const other = await acceptReport(db, null, ctx, { kind: "TRIVY", body: imageReport(13) });

    expect(await processReport(db, good.id, { batchSize: 10 })).toMatchObject({ outcome: "processed" });
    const byId = new Map((await db.report.findMany({ where: { orgId: org.id } })).map((r) => [r.id, r]));
    expect(byId.get(good.id)!.status).toBe("PROCESSED");
    expect(byId.get(other.id)!.status).toBe("PROCESSED");
    expect(byId.get(bad.id)!.status).toBe("FAILED");
    expect(byId.get(bad.id)!.error).toMatch(/Results/);
    expect(await db.finding.count({ where: { orgId: org.id } })).toBe(8);
  });

  it("never takes another organization's reports along", async () => {
    const a = await ingestOrg(db);
    const b = await ingestOrg(db);
    const ra = await acceptReport(db, null, a.ctx, { kind: "TRIVY", body: imageReport(21) });
    const rb = await acceptReport(db, null, b.ctx, { kind: "TRIVY", body: imageReport(22) });
    await processReport(db, ra.id, { batchSize: 10 });
    expect((await db.report.findUniqueOrThrow({ where: { id: rb.id } })).status).toBe("PENDING");
    expect(await db.finding.count({ where: { orgId: b.org.id } })).toBe(0);
  });
});
