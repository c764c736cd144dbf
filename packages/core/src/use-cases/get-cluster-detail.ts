import { type Db, plainSql } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { CONNECTOR_STALE_AFTER_MS, isConnectorStale } from "../connectors/staleness.ts";
import { clusterCounts, emptyCounts, namespaceCounts } from "../inventory/tally.ts";

/** Namespaces listed on the cluster page; /namespaces?cluster= pages through all of them. */
export const CLUSTER_NAMESPACES_SHOWN = 200;

/**
 * A cluster's posture (any member, or a `read` token; another organization's id is a 404): open
 * findings by severity from the tally, Pod Security Standards levels of its live workloads, its
 * namespaces with their counts, its enforcement points with the organization's current bundle version
 * (for drift), and whether its connector went quiet. Keeps the fields GET /api/v1/clusters/{id}
 * returned before (the row and _count).
 */
export async function getClusterDetail(db: Db, ctx: OrgContext, id: string, now = new Date()) {
  requireReader(ctx);
  const cluster = await db.cluster.findFirst({
    where: { id, orgId: ctx.orgId },
    include: { _count: { select: { namespaces: { where: { deletedAt: null } }, workloads: { where: { deleted: false } } } } },
  });
  if (!cluster) throw AppError.notFound("Cluster");
  const sql = plainSql(db);
  const [counts, pss, namespaces, nsWorkloads, enforcementPoints, bundle] = await Promise.all([
    clusterCounts(sql, ctx.orgId, [cluster.id]),
    db.workload.groupBy({ by: ["pssLevel"], where: { orgId: ctx.orgId, clusterId: cluster.id, deleted: false }, _count: { _all: true } }),
    db.namespace.findMany({
      where: { orgId: ctx.orgId, clusterId: cluster.id, deletedAt: null },
      orderBy: { name: "asc" },
      take: CLUSTER_NAMESPACES_SHOWN,
      select: { id: true, name: true, firstSeen: true, lastSeen: true },
    }),
    db.workload.groupBy({ by: ["namespaceId"], where: { orgId: ctx.orgId, clusterId: cluster.id, deleted: false }, _count: { _all: true } }),
    db.enforcementPoint.findMany({
      where: { orgId: ctx.orgId, clusterId: cluster.id },
      orderBy: { name: "asc" },
      select: { id: true, name: true, agentVersion: true, bundleVersion: true, lastHeartbeatAt: true, excludedNamespaces: true },
    }),
    db.policyBundle.findFirst({ where: { orgId: ctx.orgId }, orderBy: { version: "desc" }, select: { version: true } }),
  ]);
  const nsCounts = await namespaceCounts(sql, ctx.orgId, namespaces.map((n) => n.id));
  const wlBy = new Map(nsWorkloads.map((w) => [w.namespaceId, w._count._all]));
  const pssLevels = { restricted: 0, baseline: 0, privileged: 0, unevaluated: 0 };
  for (const p of pss) {
    const key = p.pssLevel === "restricted" || p.pssLevel === "baseline" || p.pssLevel === "privileged" ? p.pssLevel : "unevaluated";
    pssLevels[key] += p._count._all;
  }
  return {
    ...cluster,
    stale: isConnectorStale(cluster.lastReportAt, now),
    staleAfterMs: CONNECTOR_STALE_AFTER_MS,
    openFindings: counts.get(cluster.id) ?? emptyCounts(),
    pssLevels,
    workloadCount: cluster._count.workloads,
    namespaceCount: cluster._count.namespaces,
    namespaces: namespaces.map((n) => ({ ...n, workloads: wlBy.get(n.id) ?? 0, openFindings: nsCounts.get(n.id) ?? emptyCounts() })),
    enforcementPoints: enforcementPoints.map((p) => ({ ...p, cluster: { id: cluster.id, name: cluster.name } })),
    currentBundleVersion: bundle?.version ?? null,
  };
}

export type ClusterDetail = Awaited<ReturnType<typeof getClusterDetail>>;
