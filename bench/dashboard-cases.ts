import { type Db } from "@bulwark/db";
import { getOverview, type OrgContext } from "@bulwark/core";

export interface BenchCase {
  name: string;
  kind: "list" | "overview";
  api: () => Promise<unknown>;
  /** The same statements the use case sends, sent together (in parallel, like the use case) straight through node-postgres. */
  raw: Array<{ sql: string; params: unknown[] }>;
  /** For context: the question answered without the tally/aggregates this issue added. */
  naive?: Array<{ sql: string; params: unknown[] }>;
}

export async function dashboardCases(db: Db, ctx: OrgContext): Promise<BenchCase[]> {
  const org = ctx.orgId;
  return [
    {
      name: "overview (counts, trend, riskiest, runtime alerts, connectors)",
      kind: "overview",
      api: () => getOverview(db, ctx),
      naive: [{ sql: `SELECT type, severity, fixable, count(*) FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' GROUP BY 1, 2, 3`, params: [org] }],
      raw: [
        { sql: `SELECT type, severity, fixable, sum(n) AS n FROM "FindingTally" WHERE "orgId" = $1 AND n <> 0 GROUP BY 1, 2, 3`, params: [org] },
        {
          sql: `SELECT (SELECT count(*) FROM "Cluster" WHERE "orgId" = $1), (SELECT count(*) FROM "Namespace" WHERE "orgId" = $1 AND "deletedAt" IS NULL),
                       (SELECT count(*) FROM "Workload" WHERE "orgId" = $1 AND NOT deleted), (SELECT count(*) FROM "Image" WHERE "orgId" = $1)`,
          params: [org],
        },
        { sql: `SELECT day, score, "openBySeverity" FROM "PostureSnapshot" WHERE "orgId" = $1 AND day >= current_date - 29 ORDER BY day`, params: [org] },
        {
          sql: `SELECT w.id, w.name, w.kind, n.name, c.name, w."riskScore", w."riskFactors" FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId"
                JOIN "Cluster" c ON c.id = w."clusterId" WHERE w."orgId" = $1 AND NOT w.deleted AND w."riskScore" > 0 ORDER BY w."riskScore" DESC, w.name, w.id LIMIT 10`,
          params: [org],
        },
        {
          sql: `SELECT f.id, f.title, f.severity, c.name, n.name, w.name, f.occurrences, f."lastSeen" FROM "Finding" f LEFT JOIN "Cluster" c ON c.id = f."clusterId"
                LEFT JOIN "Namespace" n ON n.id = f."namespaceId" LEFT JOIN "Workload" w ON w.id = f."workloadId"
                WHERE f."orgId" = $1 AND f.type = 'RUNTIME' AND f.status = 'OPEN' ORDER BY f."lastSeen" DESC, f.id LIMIT 8`,
          params: [org],
        },
        { sql: `SELECT id, name, "lastReportAt" FROM "Cluster" WHERE "orgId" = $1 UNION ALL SELECT id, name, "lastReportAt" FROM "Registry" WHERE "orgId" = $1`, params: [org] },
      ],
    },
  ];
}
