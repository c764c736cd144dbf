import { type Db, type FindingType, type Severity } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { postureScore, SEVERITIES } from "../posture-score.ts";

export const FINDING_TYPES: FindingType[] = ["VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE", "RUNTIME", "POLICY_VIOLATION"];

export interface Overview {
  score: number;
  openBySeverity: Record<Severity, number>;
  openByType: Record<FindingType, number>;
  openTotal: number;
  clusters: number;
  namespaces: number;
  workloads: number;
  images: number;
}

export async function getOverview(db: Db, ctx: OrgContext): Promise<Overview> {
  requireReader(ctx);
  return countOverview(db, ctx.orgId);
}

/** Unauthorised building block for callers that already act for the organization (scheduled jobs). */
export async function countOverview(db: Db, orgId: string): Promise<Overview> {
  const [bySeverity, byType, clusters, namespaces, workloads, images] = await Promise.all([
    db.finding.groupBy({ by: ["severity"], where: { orgId, status: "OPEN" }, _count: { _all: true } }),
    db.finding.groupBy({ by: ["type"], where: { orgId, status: "OPEN" }, _count: { _all: true } }),
    db.cluster.count({ where: { orgId } }),
    db.namespace.count({ where: { orgId, deletedAt: null } }),
    db.workload.count({ where: { orgId, deleted: false } }),
    db.image.count({ where: { orgId } }),
  ]);
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of bySeverity) openBySeverity[r.severity] = r._count._all;
  const openByType = Object.fromEntries(FINDING_TYPES.map((t) => [t, 0])) as Record<FindingType, number>;
  for (const r of byType) openByType[r.type] = r._count._all;
  const openTotal = Object.values(openBySeverity).reduce((a, b) => a + b, 0);
  return { score: postureScore(openBySeverity, workloads), openBySeverity, openByType, openTotal, clusters, namespaces, workloads, images };
}
