import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { parseFalcoEvents } from "../src/ingest/falco.ts";
import { parseInventory } from "../src/ingest/kubernetes-inventory.ts";
import { parseRegistryImages } from "../src/ingest/registry-images.ts";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { testDb, uid } from "./helpers.ts";
import { clone, falcoFixtures, fixture, ingestOrg, post } from "./ingest-helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

type Item = { kind: string; metadata: { name: string; namespace?: string } };
type List = { items: Item[] };
const without = (list: List, drop: (i: Item) => boolean): List => ({ ...clone(list), items: list.items.filter((i) => !drop(i)) });
const isPaymentsApi = (i: Item) => i.metadata.namespace === "payments" && /^api(-[a-z0-9]+)*$/.test(i.metadata.name) && i.kind !== "Service";
const isBatch = (i: Item) => i.metadata.namespace === "batch-jobs" || (i.kind === "Namespace" && i.metadata.name === "batch-jobs");

describe("cluster inventory", () => {
  it("stores a full snapshot, and a newer one without a workload deletes it and resolves its findings", async () => {
    const { org, ctx } = await ingestOrg(db);
    const list = fixture("kubernetes/eks-payments.json") as List;
    const snap = parseInventory(list);
    const containers = snap.workloads.reduce((n, w) => n + w.containers.length, 0);
    const first = await post(db, ctx, "INVENTORY", list, "prod");
    expect(first.counts).toMatchObject({ namespaces: 4, workloads: 9, created: 9, containers, deletedWorkloads: 0, deletedNamespaces: 0, resolved: 0 });

    const cluster = await db.cluster.findUniqueOrThrow({ where: { orgId_name: { orgId: org.id, name: "prod" } } });
    expect(cluster).toMatchObject({ provider: "eks", kubernetesVersion: "v1.29.3-eks-ae9a62a" });
    expect(cluster.lastReportAt?.getTime()).toBe(first.report.receivedAt.getTime());
    expect(await db.workload.count({ where: { orgId: org.id, deleted: false } })).toBe(9);
    expect(await db.container.count({ where: { orgId: org.id } })).toBe(containers);

    // Containers whose pods reported a registry digest are linked to that image.
    const apiSpec = snap.workloads.find((w) => w.name === "api" && w.kind === "Deployment")!;
    const api = await db.workload.findFirstOrThrow({ where: { orgId: org.id, name: "api", kind: "Deployment" }, include: { containers: { include: { image: true } } } });
    for (const c of apiSpec.containers) {
      const stored = api.containers.find((x) => x.name === c.name)!;
      expect(stored.imageRef).toBe(c.imageRef);
      expect(stored.image?.digest ?? null).toBe(c.digests[0] ?? null);
    }

    // Findings tied to workloads, as policy evaluation would create them.
    const finding = (workloadId: string) =>
      db.finding.create({ data: { orgId: org.id, fingerprint: uid(), type: "MISCONFIGURATION", severity: "HIGH", title: "t", ruleId: "r", source: "policy", workloadId, clusterId: cluster.id } });
    const apiFinding = await finding(api.id);
    const pg = await db.workload.findFirstOrThrow({ where: { orgId: org.id, name: "postgres" } });
    const pgFinding = await finding(pg.id);

    // Two newer snapshots accepted in order, processed out of order: the older one must change nothing.
    const older = await acceptReport(db, null, ctx, { kind: "INVENTORY", subject: "prod", body: without(list, isPaymentsApi) });
    const newer = await acceptReport(db, null, ctx, { kind: "INVENTORY", subject: "prod", body: without(list, (i) => isPaymentsApi(i) || isBatch(i)) });
    const n = await processReport(db, newer.id);
    expect(n.counts).toMatchObject({ namespaces: 3, workloads: 6, created: 0, deletedWorkloads: 3, deletedNamespaces: 1, resolved: 1 });
    const o = await processReport(db, older.id);
    expect(o).toMatchObject({ outcome: "processed", counts: { stale: 1 } });

    const apiAfter = await db.workload.findUniqueOrThrow({ where: { id: api.id } });
    expect(apiAfter.deleted).toBe(true);
    expect(await db.workload.count({ where: { orgId: org.id, deleted: false } })).toBe(6);
    expect(await db.namespace.findFirstOrThrow({ where: { orgId: org.id, name: "batch-jobs" } })).toMatchObject({ deletedAt: expect.any(Date) });
    expect(await db.finding.findUniqueOrThrow({ where: { id: apiFinding.id } })).toMatchObject({ status: "RESOLVED", resolvedAt: expect.any(Date) });
    expect(await db.finding.findUniqueOrThrow({ where: { id: pgFinding.id } })).toMatchObject({ status: "OPEN", resolvedAt: null });

    // The workload comes back: same row, first sighting kept.
    const back = await post(db, ctx, "INVENTORY", list, "prod");
    expect(back.counts).toMatchObject({ workloads: 9, created: 0, deletedWorkloads: 0 });
    const apiBack = await db.workload.findUniqueOrThrow({ where: { id: api.id } });
    expect(apiBack).toMatchObject({ deleted: false, deletedAt: null });
    expect(apiBack.firstSeen.getTime()).toBe(api.firstSeen.getTime());
    expect(await db.namespace.count({ where: { orgId: org.id, deletedAt: null } })).toBe(4);
  });
});

describe("cluster inventory without Namespace objects", () => {
  it("creates the implied namespaces and never wipes labels a full snapshot declared", async () => {
    const { org, ctx } = await ingestOrg(db);
    const full = fixture("kubernetes/eks-payments.json") as List;
    await post(db, ctx, "INVENTORY", full, "prod");
    const declared = await db.namespace.findFirstOrThrow({ where: { orgId: org.id, name: "payments" } });
    // What `kubectl get pods -A -o json` prints: pods only.
    const podsOnly = { ...clone(full), items: full.items.filter((i) => i.kind === "Pod") };
    const r = await post(db, ctx, "INVENTORY", podsOnly, "prod");
    expect(r.report.status).toBe("PROCESSED");
    const after = await db.namespace.findFirstOrThrow({ where: { orgId: org.id, name: "payments" } });
    expect(after.labels).toEqual(declared.labels);
    expect(after.deletedAt).toBeNull();

    const { org: fresh, ctx: freshCtx } = await ingestOrg(db);
    expect((await post(db, freshCtx, "INVENTORY", podsOnly, "dev")).report.status).toBe("PROCESSED");
    expect(await db.namespace.findFirst({ where: { orgId: fresh.id, name: "payments" }, select: { labels: true } })).toEqual({ labels: {} });
  });
});

describe("Falco events", () => {
  it("stores each event once and folds them into one RUNTIME finding per aggregate key", async () => {
    const { org, ctx } = await ingestOrg(db);
    const events = falcoFixtures();
    const parsed = parseFalcoEvents(events);
    const keys = new Set(parsed.map((e) => e.aggregateKey));
    const first = await post(db, ctx, "FALCO", events);
    expect(first.counts).toMatchObject({ events: parsed.length, eventsStored: parsed.length, findings: keys.size, created: keys.size });
    expect(await db.runtimeEvent.count({ where: { orgId: org.id } })).toBe(parsed.length);
    const findings = await db.finding.findMany({ where: { orgId: org.id } });
    expect(findings).toHaveLength(keys.size);
    expect(findings.reduce((n, f) => n + f.occurrences, 0)).toBe(parsed.length);
    for (const f of findings) {
      const mine = parsed.filter((e) => e.aggregateKey === f.fingerprint);
      expect(f).toMatchObject({ type: "RUNTIME", source: "falco", status: "OPEN", occurrences: mine.length, ruleId: mine[0]!.rule });
      expect(f.lastSeen.getTime()).toBe(Math.max(...mine.map((e) => e.time.getTime())));
      expect(await db.runtimeEvent.count({ where: { orgId: org.id, findingId: f.id } })).toBe(mine.length);
    }

    const again = await post(db, ctx, "FALCO", events);
    expect(again.counts).toMatchObject({ eventsStored: 0, created: 0, unchanged: keys.size });
    expect(await db.runtimeEvent.count({ where: { orgId: org.id } })).toBe(parsed.length);
    const after = await db.finding.findMany({ where: { orgId: org.id } });
    expect(after.reduce((n, f) => n + f.occurrences, 0)).toBe(parsed.length);
  });

  it("ties events to the inventoried cluster and workload", async () => {
    const { org, ctx } = await ingestOrg(db);
    await post(db, ctx, "INVENTORY", fixture("kubernetes/eks-payments.json"), "prod");
    const base = fixture("falco/07-terminal-shell-in-container.json") as { output_fields: Record<string, unknown> };
    const event = { ...base, output_fields: { ...base.output_fields, "k8s.cluster.name": "prod", "k8s.ns.name": "payments", "k8s.pod.name": "api-7d9c6b5f8-q8w2z" } };
    const { counts } = await post(db, ctx, "FALCO", [event, { ...event, time: "2021-01-14T23:40:00Z" }]);
    expect(counts).toMatchObject({ events: 2, eventsStored: 2, findings: 1, created: 1 });
    const api = await db.workload.findFirstOrThrow({ where: { orgId: org.id, name: "api", kind: "Deployment" } });
    const stored = await db.runtimeEvent.findMany({ where: { orgId: org.id } });
    expect(stored.map((e) => [e.workloadId, e.clusterId, e.namespace, e.pod])).toEqual([
      [api.id, api.clusterId, "payments", "api-7d9c6b5f8-q8w2z"],
      [api.id, api.clusterId, "payments", "api-7d9c6b5f8-q8w2z"],
    ]);
    const f = await db.finding.findFirstOrThrow({ where: { orgId: org.id } });
    expect(f).toMatchObject({ workloadId: api.id, clusterId: api.clusterId, namespaceId: api.namespaceId, occurrences: 2 });
    expect(f.lastSeen.toISOString()).toBe("2021-01-14T23:40:00.000Z");
  });
});

describe("registry image lists", () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const list = (verdict: "clean" | "malicious") => ({
    registry: { name: "ghcr", host: "ghcr.io/acme" },
    images: [
      { digest: digest("a"), repository: "api", tags: ["1.0"], pushedAt: "2026-01-01T00:00:00Z", signature: { verified: true }, malwareScan: { verdict, signatures: ["Eicar-Test"] } },
      { digest: digest("b"), repository: "web", tags: ["2.0"], pushedAt: "2026-01-01T00:00:00Z", signature: { verified: false }, malwareScan: { verdict: "clean" } },
    ],
  });

  it("stores images and a MALWARE finding, resolved when a later list shows the digest clean", async () => {
    const { org, ctx } = await ingestOrg(db);
    const expected = parseRegistryImages(list("malicious"));
    const first = await post(db, ctx, "REGISTRY", list("malicious"), "ghcr");
    expect(first.counts).toMatchObject({ images: 2, findings: 1, created: 1 });
    const reg = await db.registry.findUniqueOrThrow({ where: { orgId_name: { orgId: org.id, name: "ghcr" } }, include: { images: true } });
    expect(reg.host).toBe("ghcr.io/acme");
    expect(reg.images.map((i) => [i.digest, i.registryHost, i.repository, i.tags, i.signatureVerified, i.malwareVerdict]).sort()).toEqual(
      expected.images.map((i) => [i.digest, i.registryHost, i.repository, i.tags, i.signatureVerified, i.malwareVerdict]).sort(),
    );
    const mal = await db.finding.findFirstOrThrow({ where: { orgId: org.id } });
    expect(mal).toMatchObject({ type: "MALWARE", severity: "CRITICAL", status: "OPEN", fingerprint: expected.findings[0]!.fingerprint });
    expect(mal.imageId).toBe(reg.images.find((i) => i.digest === digest("a"))!.id);

    const second = await post(db, ctx, "REGISTRY", list("clean"), "ghcr");
    expect(second.counts).toMatchObject({ images: 2, findings: 0, resolved: 1 });
    expect(await db.finding.findUniqueOrThrow({ where: { id: mal.id } })).toMatchObject({ status: "RESOLVED" });
  });
});
