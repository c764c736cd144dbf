import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type AttackMatrixView, buildAttackMatrix, countOpenByTechnique } from "../compliance/attack-counts.ts";
import { addCounts, countPostureByNamespace, type PostureCounts, practiceStats, type PracticeStat, pssStat, type PssStat, ZERO_COUNTS } from "../compliance/posture-counts.ts";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

export const complianceQuerySchema = z.object({
  /** Cluster name; all clusters when absent. */
  cluster: z.string().trim().min(1).max(253).optional(),
});

export type ComplianceQuery = z.input<typeof complianceQuerySchema>;

export interface ComplianceScope {
  workloads: number;
  practices: PracticeStat[];
  pss: PssStat;
}

export interface Compliance {
  /** The cluster filter applied (name), or null for the whole organization. */
  cluster: string | null;
  generatedAt: Date;
  /** The organization, or the filtered cluster. */
  summary: ComplianceScope;
  clusters: Array<ComplianceScope & { id: string; name: string }>;
  namespaces: Array<{ clusterId: string; cluster: string; id: string; name: string; workloads: number; pss: PssStat }>;
  attack: AttackMatrixView;
}

function scope(c: PostureCounts): ComplianceScope {
  return { workloads: c.total, practices: practiceStats(c), pss: pssStat(c) };
}

/** Five practices, Pod Security Standards pass rates and the ATT&CK matrix of open findings (any member, or a `read` token). */
export async function getCompliance(db: Db, ctx: OrgContext, query: ComplianceQuery = {}, now: Date = new Date()): Promise<Compliance> {
  requireReader(ctx);
  const parsed = complianceQuerySchema.safeParse(query);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const clusterName = parsed.data.cluster;
  const orgId = ctx.orgId;

  let filterId: string | undefined;
  const clusters = await db.cluster.findMany({ where: { orgId, ...(clusterName ? { name: clusterName } : {}) }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  if (clusterName) {
    if (!clusters[0]) throw AppError.notFound(`Cluster "${clusterName}"`);
    filterId = clusters[0].id;
  }

  const [byNamespace, techniqueCounts] = await Promise.all([countPostureByNamespace(db, orgId, now, filterId), countOpenByTechnique(db, orgId, filterId)]);

  const perCluster = new Map<string, PostureCounts>();
  let total = ZERO_COUNTS;
  for (const row of byNamespace) {
    perCluster.set(row.clusterId, addCounts(perCluster.get(row.clusterId) ?? ZERO_COUNTS, row));
    total = addCounts(total, row);
  }

  return {
    cluster: clusterName ?? null,
    generatedAt: now,
    summary: scope(total),
    clusters: clusters.map((c) => ({ id: c.id, name: c.name, ...scope(perCluster.get(c.id) ?? ZERO_COUNTS) })),
    namespaces: byNamespace.map((n) => ({ clusterId: n.clusterId, cluster: n.cluster, id: n.namespaceId, name: n.namespace, workloads: n.total, pss: pssStat(n) })),
    attack: buildAttackMatrix(techniqueCounts),
  };
}

/** Only the five practices, organization-wide (for the overview): the compliance page's numbers without the matrix. */
export async function getPracticeSummary(db: Db, ctx: OrgContext, now: Date = new Date()): Promise<PracticeStat[]> {
  requireReader(ctx);
  const rows = await countPostureByNamespace(db, ctx.orgId, now);
  return practiceStats(rows.reduce<PostureCounts>((sum, r) => addCounts(sum, r), ZERO_COUNTS));
}
