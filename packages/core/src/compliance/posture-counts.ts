import { type Db, plainSql, Prisma } from "@bulwark/db";
import { COVERAGE_RULE, COVERAGE_SOURCE } from "../admission/coverage.ts";

// The five practices and Pod Security Standards levels counted over live workloads, in one SQL
// aggregate per namespace (20,000 workloads are a few thousand namespace rows at most); clusters and
// the organization are sums of those rows, so every level agrees with the one below it.

/** Continuous scanning: every container's image was scanned within this window. */
export const SCAN_FRESH_MS = 7 * 24 * 60 * 60 * 1000;
/** Central enforcement: the cluster has an enforcement point that sent a heartbeat this recently. */
export const ENFORCEMENT_FRESH_MS = 10 * 60 * 1000;

export const PRACTICES = ["trustedImages", "scanning", "nonRoot", "readOnlyRootFs", "enforcement"] as const;
export type Practice = (typeof PRACTICES)[number];

export const PRACTICE_LABELS: Record<Practice, string> = {
  trustedImages: "Trusted images",
  scanning: "Continuous scanning",
  nonRoot: "Non-root, not privileged",
  readOnlyRootFs: "Read-only root filesystem",
  enforcement: "Central enforcement coverage",
};

/** Raw counts for one namespace (or a sum of them). */
export interface PostureCounts {
  total: number;
  trusted: number;
  trustedUnknown: number;
  scanned: number;
  nonRoot: number;
  nonRootUnknown: number;
  readOnly: number;
  readOnlyUnknown: number;
  enforced: number;
  pssBaseline: number;
  pssRestricted: number;
  pssPrivileged: number;
  pssUnevaluated: number;
}

export interface NamespaceCounts extends PostureCounts {
  clusterId: string;
  cluster: string;
  namespaceId: string;
  namespace: string;
}

export const ZERO_COUNTS: PostureCounts = {
  total: 0,
  trusted: 0,
  trustedUnknown: 0,
  scanned: 0,
  nonRoot: 0,
  nonRootUnknown: 0,
  readOnly: 0,
  readOnlyUnknown: 0,
  enforced: 0,
  pssBaseline: 0,
  pssRestricted: 0,
  pssPrivileged: 0,
  pssUnevaluated: 0,
};

export function addCounts(a: PostureCounts, b: PostureCounts): PostureCounts {
  const out = { ...a };
  for (const k of Object.keys(ZERO_COUNTS) as Array<keyof PostureCounts>) out[k] = a[k] + b[k];
  return out;
}

/** `now` as the UTC wall clock Prisma stores in `timestamp` columns, minus `ms`. */
function cutoff(now: Date, ms: number): Prisma.Sql {
  return Prisma.sql`(${new Date(now.getTime() - ms).toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/** Per-namespace posture counts of the organization's live workloads (optionally one cluster's). */
export async function countPostureByNamespace(db: Db, orgId: string, now: Date, clusterId?: string): Promise<NamespaceCounts[]> {
  const inCluster = clusterId === undefined ? Prisma.empty : Prisma.sql`AND w."clusterId" = ${clusterId}`;
  // A workload with no recorded container proves nothing was scanned, so it does not pass scanning.
  return plainSql(db).$queryRaw<NamespaceCounts[]>`
    WITH scan AS (
      SELECT c."workloadId" AS id, bool_and(COALESCE(i."lastScannedAt" >= ${cutoff(now, SCAN_FRESH_MS)}, false)) AS ok
      FROM "Container" c LEFT JOIN "Image" i ON i.id = c."imageId"
      WHERE c."orgId" = ${orgId}
      GROUP BY 1
    ), enforced AS (
      SELECT DISTINCT "clusterId" FROM "EnforcementPoint"
      WHERE "orgId" = ${orgId} AND "clusterId" IS NOT NULL AND "lastHeartbeatAt" >= ${cutoff(now, ENFORCEMENT_FRESH_MS)}
    ), uncovered AS (
      SELECT DISTINCT "workloadId" AS id FROM "Finding"
      WHERE "orgId" = ${orgId} AND "ruleId" = ${COVERAGE_RULE} AND source = ${COVERAGE_SOURCE} AND status = 'OPEN'
    )
    SELECT w."clusterId", cl.name AS cluster, w."namespaceId", ns.name AS namespace,
      count(*)::int AS total,
      count(*) FILTER (WHERE w."trustedImages")::int AS trusted,
      count(*) FILTER (WHERE w."trustedImages" IS NULL)::int AS "trustedUnknown",
      count(*) FILTER (WHERE s.ok)::int AS scanned,
      count(*) FILTER (WHERE w."nonRoot")::int AS "nonRoot",
      count(*) FILTER (WHERE w."nonRoot" IS NULL)::int AS "nonRootUnknown",
      count(*) FILTER (WHERE w."readOnlyRootFs")::int AS "readOnly",
      count(*) FILTER (WHERE w."readOnlyRootFs" IS NULL)::int AS "readOnlyUnknown",
      count(*) FILTER (WHERE e."clusterId" IS NOT NULL AND u.id IS NULL)::int AS enforced,
      count(*) FILTER (WHERE w."pssLevel" IN ('baseline', 'restricted'))::int AS "pssBaseline",
      count(*) FILTER (WHERE w."pssLevel" = 'restricted')::int AS "pssRestricted",
      count(*) FILTER (WHERE w."pssLevel" = 'privileged')::int AS "pssPrivileged",
      count(*) FILTER (WHERE w."pssLevel" IS NULL)::int AS "pssUnevaluated"
    FROM "Workload" w
    JOIN "Cluster" cl ON cl.id = w."clusterId"
    JOIN "Namespace" ns ON ns.id = w."namespaceId"
    LEFT JOIN scan s ON s.id = w.id
    LEFT JOIN enforced e ON e."clusterId" = w."clusterId"
    LEFT JOIN uncovered u ON u.id = w.id
    WHERE w."orgId" = ${orgId} AND NOT w.deleted ${inCluster}
    GROUP BY w."clusterId", cl.name, w."namespaceId", ns.name
    ORDER BY cl.name, ns.name`;
}

export interface PracticeStat {
  practice: Practice;
  label: string;
  compliant: number;
  /** Live workloads (the denominator). */
  total: number;
  /** Workloads not evaluated yet for this practice (counted in total, not in compliant). */
  unevaluated: number;
  /** compliant / total; null with no workloads or when the practice is not configured. */
  ratio: number | null;
  /** Trusted images only: no workload has a verdict because the organization marks no registry trusted. */
  notConfigured: boolean;
}

export interface PssStat {
  /** Workloads meeting baseline (baseline or restricted level). */
  baseline: number;
  restricted: number;
  /** Workloads failing baseline. */
  privileged: number;
  unevaluated: number;
  evaluated: number;
  /** Pass rates over evaluated workloads; null when none is evaluated. */
  baselineRatio: number | null;
  restrictedRatio: number | null;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function practiceStats(c: PostureCounts): PracticeStat[] {
  const trustedNotConfigured = c.total > 0 && c.trustedUnknown === c.total;
  const stat = (practice: Practice, compliant: number, unevaluated: number, notConfigured = false): PracticeStat => ({
    practice,
    label: PRACTICE_LABELS[practice],
    compliant,
    total: c.total,
    unevaluated,
    ratio: notConfigured ? null : ratio(compliant, c.total),
    notConfigured,
  });
  return [
    stat("trustedImages", c.trusted, c.trustedUnknown, trustedNotConfigured),
    stat("scanning", c.scanned, 0),
    stat("nonRoot", c.nonRoot, c.nonRootUnknown),
    stat("readOnlyRootFs", c.readOnly, c.readOnlyUnknown),
    stat("enforcement", c.enforced, 0),
  ];
}

export function pssStat(c: PostureCounts): PssStat {
  const evaluated = c.total - c.pssUnevaluated;
  return {
    baseline: c.pssBaseline,
    restricted: c.pssRestricted,
    privileged: c.pssPrivileged,
    unevaluated: c.pssUnevaluated,
    evaluated,
    baselineRatio: ratio(c.pssBaseline, evaluated),
    restrictedRatio: ratio(c.pssRestricted, evaluated),
  };
}
