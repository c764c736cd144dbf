import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { acceptReport, authenticateToken, createApiTokenForOrg, enqueue, enqueueDeltaRescan, processReportJob } from "@bulwark/core";
import { type WorkerHandle } from "../src/start-worker.ts";
import { npmAdvisory, startTestWorker, uid, waitFor } from "./helpers.ts";

// Continuous vulnerability management through the real worker: an SBOM is matched against the advisory
// store right after it is processed, and an advisory that appears later (or is withdrawn) reaches the
// findings through the delta job, with no rescan of the image.

let db: Db;
let worker: WorkerHandle;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, worker, close } = await startTestWorker("vuln"));
});

afterAll(async () => {
  await close();
});

describe("vulnerability matching in the worker", () => {
  it("matches a new SBOM at once, then follows advisories added and withdrawn later", async () => {
    const org = await db.organization.create({ data: { slug: `vuln-${uid()}`, name: "Vuln test" } });
    const token = await createApiTokenForOrg(db, org.slug, { name: "connector", scopes: ["ingest"] }, "test");
    const ctx = await authenticateToken(db, token.token, "ingest");
    const [early, late] = [`early-${uid()}`, `late-${uid()}`];
    const known = await npmAdvisory(db, early, { fixed: "2.0.0" });
    const digest = `sha256:${uid().repeat(7).slice(0, 64).padEnd(64, "0")}`;
    const sbom = {
      bomFormat: "CycloneDX",
      specVersion: "1.5",
      version: 1,
      components: [
        { type: "library", name: early, version: "1.0.0", purl: `pkg:npm/${early}@1.0.0` },
        { type: "library", name: late, version: "3.1.0", purl: `pkg:npm/${late}@3.1.0` },
      ],
    };
    const accepted = await acceptReport(db, null, ctx, { kind: "SBOM", body: sbom, subject: digest });
    await enqueue(worker.queue, processReportJob, { reportId: accepted.id });
    const findings = (ruleId: string) => db.finding.findMany({ where: { orgId: org.id, ruleId }, select: { status: true, source: true, fixedVersion: true } });

    // Matched by the worker after ingestion (vuln.match-ingested), recorded as an INGEST run.
    expect(await waitFor("SBOM matched", async () => ((await findings(known.externalId)).length ? findings(known.externalId) : undefined), 30_000)).toEqual([
      { status: "OPEN", source: "bulwark", fixedVersion: "2.0.0" },
    ]);
    // The run is closed after its findings commit (and their alerts are queued): wait for that, not just the findings.
    const ingestRun = await waitFor("INGEST run closed", () => db.scanRun.findFirst({ where: { orgId: org.id, kind: "INGEST", status: { not: "RUNNING" } } }), 30_000);
    expect(ingestRun).toMatchObject({ status: "SUCCEEDED", total: 1, done: 1 });
    expect((await db.image.findFirstOrThrow({ where: { orgId: org.id, digest } })).matchedAt).not.toBeNull();

    // A new advisory: the delta job opens its finding without touching the image.
    const added = await npmAdvisory(db, late, { fixed: "3.2.0" });
    await enqueueDeltaRescan(worker.queue, [added.id], "test");
    expect(await waitFor("delta opened", async () => ((await findings(added.externalId)).length ? findings(added.externalId) : undefined), 30_000)).toEqual([
      { status: "OPEN", source: "bulwark", fixedVersion: "3.2.0" },
    ]);

    // Withdrawn: the next delta resolves it.
    await db.advisory.update({ where: { id: added.id }, data: { withdrawnAt: new Date() } });
    await enqueueDeltaRescan(worker.queue, [added.id], "test");
    await waitFor("delta resolved", async () => ((await findings(added.externalId))[0]?.status === "RESOLVED" ? true : undefined), 30_000);
    const deltas = await waitFor("both DELTA runs closed", async () => {
      const runs = await db.scanRun.findMany({ where: { orgId: org.id, kind: "DELTA" }, orderBy: { startedAt: "asc" } });
      return runs.length === 2 && runs.every((r) => r.status !== "RUNNING") ? runs : undefined;
    }, 30_000);
    expect(deltas.map((d) => [d.status, (d.stats as { opened: number; resolved: number }).opened, (d.stats as { resolved: number }).resolved])).toEqual([
      ["SUCCEEDED", 1, 0],
      ["SUCCEEDED", 0, 1],
    ]);
  });
});
