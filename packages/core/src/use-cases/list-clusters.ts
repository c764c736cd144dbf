import { type Db, plainSql } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { cursorSchema, likePattern, type Page, pageInMemory, pageLimitSchema, searchSchema, sortDirSchema, withoutEmpty } from "../inventory/page.ts";
import { isConnectorStale } from "../connectors/staleness.ts";
import { clusterCounts, type SeverityCounts } from "../inventory/tally.ts";

export const CLUSTER_SORTS = ["name", "critical", "findings", "workloads", "lastReport"] as const;

export const listClustersSchema = z.object({
  q: searchSchema.meta({ description: "Part of the cluster name" }),
  sort: z.enum(CLUSTER_SORTS).default("name"),
  dir: sortDirSchema.meta({ description: "Default: asc for name, desc otherwise" }),
  cursor: cursorSchema,
  limit: pageLimitSchema,
});

export type ListClustersQuery = z.input<typeof listClustersSchema>;

export interface ClusterRow {
  id: string;
  name: string;
  provider: string | null;
  kubernetesVersion: string | null;
  lastReportAt: Date | null;
  /** No report within CONNECTOR_STALE_AFTER_MS (or never). */
  stale: boolean;
  namespaces: number;
  workloads: number;
  enforcementPoints: number;
  openFindings: SeverityCounts;
}

/**
 * The organization's clusters with their counts (any member, or a `read` token). An organization has
 * tens of clusters, so every row is counted (one tally query for all) and sorted and paged in memory:
 * sorting by findings needs every row's count anyway.
 */
export async function listClusters(db: Db, ctx: OrgContext, input: unknown = {}, now = new Date()): Promise<Page<ClusterRow>> {
  requireReader(ctx);
  const parsed = listClustersSchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const sql = plainSql(db);
  const like = q.q ? likePattern(q.q) : null;
  const clusters = await sql.$queryRaw<Omit<ClusterRow, "stale" | "openFindings">[]>`
    SELECT c.id, c.name, c.provider, c."kubernetesVersion", c."lastReportAt",
      (SELECT count(*)::int FROM "Namespace" n WHERE n."orgId" = c."orgId" AND n."clusterId" = c.id AND n."deletedAt" IS NULL) AS namespaces,
      (SELECT count(*)::int FROM "Workload" w WHERE w."orgId" = c."orgId" AND NOT w.deleted AND w."clusterId" = c.id) AS workloads,
      (SELECT count(*)::int FROM "EnforcementPoint" e WHERE e."orgId" = c."orgId" AND e."clusterId" = c.id) AS "enforcementPoints"
    FROM "Cluster" c WHERE c."orgId" = ${ctx.orgId} AND (${like}::text IS NULL OR c.name ILIKE ${like}::text)`;
  const counts = await clusterCounts(sql, ctx.orgId, clusters.map((c) => c.id));
  const rows: ClusterRow[] = clusters.map((c) => ({ ...c, stale: isConnectorStale(c.lastReportAt, now), openFindings: counts.get(c.id)! }));
  const dir = q.dir ?? (q.sort === "name" ? "asc" : "desc");
  if (q.sort === "name") return pageInMemory(rows, (r) => r.name, dir, q.limit, q.cursor, "string");
  const key = {
    critical: (r: ClusterRow) => r.openFindings.CRITICAL,
    findings: (r: ClusterRow) => r.openFindings.total,
    workloads: (r: ClusterRow) => r.workloads,
    lastReport: (r: ClusterRow) => r.lastReportAt?.getTime() ?? 0,
  }[q.sort];
  return pageInMemory(rows, key, dir, q.limit, q.cursor, "number");
}
