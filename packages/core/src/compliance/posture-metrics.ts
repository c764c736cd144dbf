import { type Db, type FindingType, plainSql, type Severity } from "@bulwark/db";
import { isConnectorStale } from "../connectors/staleness.ts";
import { postureScore, SEVERITIES } from "../posture-score.ts";
import { addCounts, countPostureByNamespace, ENFORCEMENT_FRESH_MS, type PostureCounts, type Practice, practiceStats, pssStat, ZERO_COUNTS } from "./posture-counts.ts";

// The numbers behind GET /metrics, as plain values: the web route turns them into Prometheus gauges.
// Open finding counts come from FindingTally (kept exact by triggers), never from counting Finding.

export const ENFORCEMENT_HEALTH = ["healthy", "stale", "never"] as const;
export type EnforcementHealth = (typeof ENFORCEMENT_HEALTH)[number];

export interface ClusterMetrics {
  name: string;
  workloads: number;
  /** Compliance ratio per practice; null when not applicable (no workloads, trusted images not configured). */
  practices: Record<Practice, number | null>;
  /** Pass ratios over evaluated workloads; null when none is evaluated. */
  pss: { baseline: number | null; restricted: number | null };
  lastReportAt: Date | null;
  stale: boolean;
}

export interface PostureMetrics {
  score: number;
  /**
   * Open findings by cluster, severity and type. An image finding counts toward every cluster where a
   * live workload runs the image, so summing over clusters can exceed the organization's total; image
   * findings of images running nowhere (and findings tied to no cluster or image) are under cluster "".
   */
  openFindings: Array<{ cluster: string; severity: Severity; type: FindingType; count: number }>;
  clusters: ClusterMetrics[];
  /** Enforcement points per cluster ("" for points not tied to a cluster) and heartbeat health. */
  enforcementPoints: Array<{ cluster: string; health: EnforcementHealth; count: number }>;
}

function ratios(c: PostureCounts): Record<Practice, number | null> {
  return Object.fromEntries(practiceStats(c).map((p) => [p.practice, p.ratio])) as Record<Practice, number | null>;
}

/** Unauthorised building block: the caller (the metrics route) has already resolved the organization. */
export async function collectPostureMetrics(db: Db, orgId: string, now: Date = new Date()): Promise<PostureMetrics> {
  const sql = plainSql(db);
  const [clusters, byNamespace, findings, points] = await Promise.all([
    db.cluster.findMany({ where: { orgId }, select: { id: true, name: true, lastReportAt: true }, orderBy: { name: "asc" } }),
    countPostureByNamespace(db, orgId, now),
    sql.$queryRaw<Array<{ cluster: string; severity: Severity; type: FindingType; count: number }>>`
      WITH tally AS (
        SELECT "clusterId", "imageId", type, severity, n FROM "FindingTally" WHERE "orgId" = ${orgId} AND n > 0
      ), runs AS (
        SELECT DISTINCT c."imageId", w."clusterId"
        FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId"
        WHERE c."orgId" = ${orgId} AND NOT w.deleted AND c."imageId" IS NOT NULL
      )
      SELECT COALESCE(cl.name, '') AS cluster, t.severity::text AS severity, t.type::text AS type, sum(t.n)::int AS count
      FROM tally t
      LEFT JOIN runs r ON t."clusterId" = '' AND t."imageId" <> '' AND r."imageId" = t."imageId"
      LEFT JOIN "Cluster" cl ON cl.id = CASE WHEN t."clusterId" <> '' THEN t."clusterId" ELSE r."clusterId" END
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    db.enforcementPoint.findMany({ where: { orgId }, select: { lastHeartbeatAt: true, cluster: { select: { name: true } } } }),
  ]);

  const perCluster = new Map<string, PostureCounts>();
  for (const row of byNamespace) perCluster.set(row.clusterId, addCounts(perCluster.get(row.clusterId) ?? ZERO_COUNTS, row));
  const workloads = byNamespace.reduce((n, r) => n + r.total, 0);

  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const orgTotals = await sql.$queryRaw<Array<{ severity: Severity; n: number }>>`
    SELECT severity::text AS severity, sum(n)::int AS n FROM "FindingTally" WHERE "orgId" = ${orgId} GROUP BY 1`;
  for (const r of orgTotals) openBySeverity[r.severity] = r.n;

  const health = new Map<string, Record<EnforcementHealth, number>>();
  for (const p of points) {
    const key = p.cluster?.name ?? "";
    const h = health.get(key) ?? { healthy: 0, stale: 0, never: 0 };
    const state: EnforcementHealth = !p.lastHeartbeatAt ? "never" : now.getTime() - p.lastHeartbeatAt.getTime() <= ENFORCEMENT_FRESH_MS ? "healthy" : "stale";
    h[state] += 1;
    health.set(key, h);
  }

  return {
    score: postureScore(openBySeverity, workloads),
    openFindings: findings,
    clusters: clusters.map((c) => {
      const counts = perCluster.get(c.id) ?? ZERO_COUNTS;
      const pss = pssStat(counts);
      return {
        name: c.name,
        workloads: counts.total,
        practices: ratios(counts),
        pss: { baseline: pss.baselineRatio, restricted: pss.restrictedRatio },
        lastReportAt: c.lastReportAt,
        stale: isConnectorStale(c.lastReportAt, now),
      };
    }),
    enforcementPoints: [...health.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([cluster, h]) => ENFORCEMENT_HEALTH.map((state) => ({ cluster, health: state, count: h[state] }))),
  };
}
