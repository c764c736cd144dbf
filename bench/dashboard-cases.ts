import { type Db } from "@bulwark/db";
import {
  collectPostureMetrics,
  exportFindingsCsv,
  getClusterDetail,
  getCompliance,
  getImageDetail,
  getOverview,
  getWorkloadDetail,
  listClusters,
  listFindings,
  listImages,
  listNamespaces,
  listWorkloads,
  type OrgContext,
} from "@bulwark/core";

export interface BenchCase {
  name: string;
  /** Lists: p95 < 150 ms; overview queries: p95 < 300 ms; exports stream any number of rows and are reported, not targeted. */
  kind: "list" | "overview" | "export";
  api: () => Promise<unknown>;
  /** For context: the question answered without the tally/aggregates this issue added. */
  naive?: Array<{ sql: string; params: unknown[] }>;
}

const q = (s: string) => new URLSearchParams(s);

/** The dashboard's queries with the filters people use; raw SQL is captured from each call (see sql-capture.ts). */
export async function dashboardCases(db: Db, ctx: OrgContext): Promise<BenchCase[]> {
  const org = ctx.orgId;
  const [w] = await db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "Workload" WHERE "orgId" = $1 ORDER BY "riskScore" DESC, id LIMIT 1`, org);
  const [img] = await db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT "imageId" AS id FROM "Container" WHERE "orgId" = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, org);
  const [cl] = await db.$queryRawUnsafe<Array<{ id: string; name: string }>>(`SELECT id, name FROM "Cluster" WHERE "orgId" = $1 ORDER BY name LIMIT 1`, org);
  // A cursor deep in the default order: page 200 of 50.
  let deep: string | null = null;
  {
    let cursor: string | undefined;
    for (let i = 0; i < 200; i++) {
      const page = await listFindings(db, ctx, q(cursor ? `cursor=${encodeURIComponent(cursor)}` : ""), { total: false });
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    deep = cursor ?? null;
  }
  const list = (name: string, query: string): BenchCase => ({ name: `findings: ${name}`, kind: "list", api: () => listFindings(db, ctx, q(query)) });
  const csvFirst = async (query: string) => {
    // The export's first 1,000 rows (the stream continues in keyset batches of the same cost).
    let n = 0;
    for await (const line of await exportFindingsCsv(db, ctx, q(query))) if (++n >= 1001 || !line) break;
  };
  return [
    {
      name: "overview (counts, trend, riskiest, alerts, connectors, practices)",
      kind: "overview",
      api: () => getOverview(db, ctx),
      naive: [{ sql: `SELECT type, severity, fixable, count(*) FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' GROUP BY 1, 2, 3`, params: [org] }],
    },
    { name: "compliance (practices, PSS per cluster/namespace, ATT&CK matrix)", kind: "overview", api: () => getCompliance(db, ctx, {}) },
    { name: `compliance, one cluster`, kind: "overview", api: () => getCompliance(db, ctx, { cluster: cl!.name }) },
    { name: "/metrics data (per cluster, severity, type; practices; staleness)", kind: "overview", api: () => collectPostureMetrics(db, org) },
    { name: "cluster detail", kind: "overview", api: () => getClusterDetail(db, ctx, cl!.id) },
    list("default (open, severity then last seen)", ""),
    list("severity=CRITICAL", "severity=CRITICAL"),
    list("type=VULNERABILITY&fixable=true", "type=VULNERABILITY&fixable=true"),
    list("cluster=<name>", `cluster=${cl!.name}`),
    list("cluster + namespace=payments", `cluster=${cl!.name}&namespace=payments`),
    list("namespace=payments (all clusters)", "namespace=payments"),
    list("workload=<id>", `workload=${w!.id}`),
    list("image=<id>", `image=${img!.id}`),
    list("rule=CVE-2025-4242", "rule=CVE-2025-4242"),
    list("technique=T1610", "technique=T1610"),
    list("source=falco&type=RUNTIME", "source=falco&type=RUNTIME"),
    list("since=<7 days ago>", `since=${new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)}`),
    list("q=pkg-17", "q=pkg-17"),
    list("status=ALL sort=firstSeen", "status=ALL&sort=firstSeen"),
    list("sort=cvss", "sort=cvss"),
    list("page 201 (deep cursor)", deep ? `cursor=${encodeURIComponent(deep)}` : ""),
    { name: "findings CSV export, first 1,000 rows (severity=HIGH)", kind: "export", api: () => csvFirst("severity=HIGH") },
    { name: "clusters list", kind: "list", api: () => listClusters(db, ctx, {}) },
    { name: "clusters list, sort by critical", kind: "list", api: () => listClusters(db, ctx, { sort: "critical" }) },
    { name: "namespaces list", kind: "list", api: () => listNamespaces(db, ctx, {}) },
    { name: "namespaces list, one cluster", kind: "list", api: () => listNamespaces(db, ctx, { cluster: cl!.name }) },
    { name: "workloads list (risk order)", kind: "list", api: () => listWorkloads(db, ctx, {}) },
    { name: "workloads list, cluster + pssLevel=privileged", kind: "list", api: () => listWorkloads(db, ctx, { cluster: cl!.name, pssLevel: "privileged" }) },
    { name: "workloads list, practice=nonRoot&compliant=false", kind: "list", api: () => listWorkloads(db, ctx, { practice: "nonRoot", compliant: "false" }) },
    { name: "workloads list, q=app-19", kind: "list", api: () => listWorkloads(db, ctx, { q: "app-19" }) },
    { name: "images list", kind: "list", api: () => listImages(db, ctx, {}) },
    { name: "images list, q=svc-4", kind: "list", api: () => listImages(db, ctx, { q: "svc-4" }) },
    { name: "workload detail", kind: "list", api: () => getWorkloadDetail(db, ctx, w!.id) },
    { name: "image detail", kind: "list", api: () => getImageDetail(db, ctx, img!.id, {}) },
  ];
}
