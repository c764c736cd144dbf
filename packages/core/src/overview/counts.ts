import { type Db, type FindingType, plainSql, type Severity } from "@bulwark/db";
import { postureScore, SEVERITIES } from "../posture-score.ts";

export const FINDING_TYPES: FindingType[] = ["VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE", "RUNTIME", "POLICY_VIOLATION"];

export interface PostureCounts {
  score: number;
  openBySeverity: Record<Severity, number>;
  openByType: Record<FindingType, number>;
  /** Open findings by type and severity, for charts that split both ways. */
  openByTypeSeverity: Record<FindingType, Record<Severity, number>>;
  openTotal: number;
  fixableOpen: number;
  clusters: number;
  namespaces: number;
  workloads: number;
  images: number;
}

const zeroSeverities = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/**
 * Open findings come from FindingTally (kept exact by triggers on Finding), so this reads a few
 * thousand tally rows however many findings the organization has.
 */
export async function countPosture(db: Db, orgId: string): Promise<PostureCounts> {
  const sql = plainSql(db);
  const [tallies, entities] = await Promise.all([
    sql.$queryRaw<Array<{ type: FindingType; severity: Severity; fixable: boolean; n: bigint }>>`
      SELECT type, severity, fixable, sum(n) AS n FROM "FindingTally" WHERE "orgId" = ${orgId} AND n <> 0 GROUP BY 1, 2, 3`,
    sql.$queryRaw<Array<{ clusters: bigint; namespaces: bigint; workloads: bigint; images: bigint }>>`
      SELECT (SELECT count(*) FROM "Cluster" WHERE "orgId" = ${orgId}) AS clusters,
             (SELECT count(*) FROM "Namespace" WHERE "orgId" = ${orgId} AND "deletedAt" IS NULL) AS namespaces,
             (SELECT count(*) FROM "Workload" WHERE "orgId" = ${orgId} AND NOT deleted) AS workloads,
             (SELECT count(*) FROM "Image" WHERE "orgId" = ${orgId}) AS images`,
  ]);
  const openBySeverity = zeroSeverities();
  const openByType = Object.fromEntries(FINDING_TYPES.map((t) => [t, 0])) as Record<FindingType, number>;
  const openByTypeSeverity = Object.fromEntries(FINDING_TYPES.map((t) => [t, zeroSeverities()])) as Record<FindingType, Record<Severity, number>>;
  let fixableOpen = 0;
  for (const r of tallies) {
    const n = Number(r.n);
    openBySeverity[r.severity] += n;
    openByType[r.type] += n;
    openByTypeSeverity[r.type][r.severity] += n;
    if (r.fixable) fixableOpen += n;
  }
  const e = entities[0];
  const workloads = Number(e?.workloads ?? 0);
  const openTotal = Object.values(openBySeverity).reduce((a, b) => a + b, 0);
  return {
    score: postureScore(openBySeverity, workloads),
    openBySeverity,
    openByType,
    openByTypeSeverity,
    openTotal,
    fixableOpen,
    clusters: Number(e?.clusters ?? 0),
    namespaces: Number(e?.namespaces ?? 0),
    workloads,
    images: Number(e?.images ?? 0),
  };
}
