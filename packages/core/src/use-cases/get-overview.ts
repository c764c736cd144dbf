import { type Db } from "@bulwark/db";
import { countPostureByNamespace, practiceStats, addCounts, type PracticeStat, type PostureCounts as WorkloadPostureCounts, ZERO_COUNTS } from "../compliance/posture-counts.ts";
import { type OrgContext, requireReader } from "../context.ts";
import { countPosture, type PostureCounts } from "../overview/counts.ts";
import { type ConnectorHealth, readConnectorHealth, readRiskyWorkloads, readRuntimeAlerts, readTrend, type RiskyWorkload, type RuntimeAlert, type TrendPoint } from "../overview/panels.ts";

export { FINDING_TYPES } from "../overview/counts.ts";
export { TREND_DAYS, type ConnectorHealth, type RiskyWorkload, type RuntimeAlert, type TrendPoint } from "../overview/panels.ts";

export type Overview = PostureCounts;

export interface OverviewPage extends PostureCounts {
  trend: TrendPoint[];
  riskiest: RiskyWorkload[];
  runtimeAlerts: RuntimeAlert[];
  connectors: ConnectorHealth[];
  /** The five practices as shares of live workloads (docs/compliance.md). */
  practices: PracticeStat[];
}

export async function getOverview(db: Db, ctx: OrgContext, now = new Date()): Promise<OverviewPage> {
  requireReader(ctx);
  const [counts, trend, riskiest, runtimeAlerts, connectors, byNamespace] = await Promise.all([
    countPosture(db, ctx.orgId),
    readTrend(db, ctx.orgId, now),
    readRiskyWorkloads(db, ctx.orgId),
    readRuntimeAlerts(db, ctx.orgId),
    readConnectorHealth(db, ctx.orgId, now),
    countPostureByNamespace(db, ctx.orgId, now),
  ]);
  const practices = practiceStats(byNamespace.reduce<WorkloadPostureCounts>((sum, r) => addCounts(sum, r), ZERO_COUNTS));
  return { ...counts, trend, riskiest, runtimeAlerts, connectors, practices };
}

/** Unauthorised building block for callers that already act for the organization (scheduled jobs). */
export async function countOverview(db: Db, orgId: string): Promise<Overview> {
  return countPosture(db, orgId);
}
