import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { testDb } from "./helpers.ts";
import { clone, fixture, ingestOrg } from "./ingest-helpers.ts";

// Scans alert for what a security team wants to hear about at once: new or returning malware, leaked
// secrets and critical vulnerabilities. Everything else in a scan stays on the dashboard.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

type Vuln = { VulnerabilityID: string; Severity: string };
type TrivyDoc = { Metadata: { RepoDigests: string[] }; Results: Array<{ Vulnerabilities?: Vuln[] }> };

/** The alpine-310 scan at its own digest, its first vulnerability raised to CRITICAL. */
function scanWithCritical(n: number): TrivyDoc {
  const body = clone(fixture("trivy/alpine-310.json.golden")) as TrivyDoc;
  body.Metadata.RepoDigests = [`ghcr.io/acme/app-${n}@sha256:${n.toString(16).padStart(64, "a")}`];
  body.Results[0]!.Vulnerabilities![0]!.Severity = "CRITICAL";
  return body;
}

describe("alerts from scans", () => {
  it("a new critical vulnerability is a candidate, medium ones are not; a re-scan that finds nothing new adds none", async () => {
    const { org, ctx } = await ingestOrg(db);
    const first = await processReport(db, (await acceptReport(db, null, ctx, { kind: "TRIVY", body: scanWithCritical(1) })).id, { batchSize: 1 });
    const critical = await db.finding.findMany({ where: { orgId: org.id, severity: "CRITICAL" }, select: { id: true } });
    expect(critical).toHaveLength(1);
    expect(first.alerts).toEqual([{ findingId: critical[0]!.id, reason: "created" }]);
    expect(await db.finding.count({ where: { orgId: org.id, severity: "MEDIUM" } })).toBeGreaterThan(0);

    const again = await processReport(db, (await acceptReport(db, null, ctx, { kind: "TRIVY", body: scanWithCritical(1) })).id, { batchSize: 1 });
    expect(again.alerts ?? []).toEqual([]);
  });

  it("batched scans alert for each report's critical findings, and a suppressed one does not alert", async () => {
    const { org, ctx } = await ingestOrg(db);
    // An approved exception for the second image: its critical finding is suppressed at once.
    await db.exception.create({
      data: { orgId: org.id, kind: "RISK_ACCEPTED", status: "APPROVED", scope: { imageDigest: `sha256:${(2).toString(16).padStart(64, "a")}` }, reason: "accepted for the test" },
    });
    const ids: string[] = [];
    for (const n of [2, 3, 4]) ids.push((await acceptReport(db, null, ctx, { kind: "TRIVY", body: scanWithCritical(n) })).id);
    const result = await processReport(db, ids[0]!, { batchSize: 10 });
    expect(result.batched?.length).toBe(2);
    const open = await db.finding.findMany({ where: { orgId: org.id, severity: "CRITICAL", status: "OPEN" }, select: { id: true } });
    expect(open).toHaveLength(2);
    expect(await db.finding.count({ where: { orgId: org.id, severity: "CRITICAL", status: "SUPPRESSED" } })).toBe(1);
    expect(result.alerts?.map((a) => a.findingId).sort()).toEqual(open.map((f) => f.id).sort());
    expect(result.alerts?.every((a) => a.reason === "created")).toBe(true);
  });

  it("leaked secrets found by a repository scan alert", async () => {
    const { org, ctx } = await ingestOrg(db);
    const r = await processReport(db, (await acceptReport(db, null, ctx, { kind: "TRIVY", body: fixture("trivy/secrets.json.golden") })).id, { batchSize: 1 });
    const secrets = await db.finding.findMany({ where: { orgId: org.id, type: "SECRET" }, select: { id: true } });
    expect(secrets.length).toBe(2);
    expect(r.alerts?.map((a) => a.findingId).sort()).toEqual(secrets.map((s) => s.id).sort());
  });
});
