import { Prisma } from "@bulwark/db";
import { COVERAGE_RULE, COVERAGE_SOURCE } from "../admission/coverage.ts";
import { ENFORCEMENT_FRESH_MS, type Practice, SCAN_FRESH_MS } from "./posture-counts.ts";

// The five practices as a condition on one workload (alias `w`), for lists filtered by
// `practice` + `compliant` (e.g. /workloads?practice=nonRoot&compliant=false). The same definitions as
// the counts in posture-counts.ts; a test checks the two agree. compliant=false means "known not to
// comply": workloads not evaluated yet match neither true nor false.

const at = (now: Date, ms: number) => Prisma.sql`(${new Date(now.getTime() - ms).toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

function complies(practice: Practice, now: Date): Prisma.Sql {
  switch (practice) {
    case "trustedImages":
      return Prisma.sql`w."trustedImages"`;
    case "nonRoot":
      return Prisma.sql`w."nonRoot"`;
    case "readOnlyRootFs":
      return Prisma.sql`w."readOnlyRootFs"`;
    case "scanning":
      return Prisma.sql`(EXISTS (SELECT 1 FROM "Container" c0 WHERE c0."workloadId" = w.id)
        AND NOT EXISTS (SELECT 1 FROM "Container" c0 LEFT JOIN "Image" i0 ON i0.id = c0."imageId"
          WHERE c0."workloadId" = w.id AND (i0."lastScannedAt" IS NULL OR i0."lastScannedAt" < ${at(now, SCAN_FRESH_MS)})))`;
    case "enforcement":
      return Prisma.sql`(EXISTS (SELECT 1 FROM "EnforcementPoint" e0
          WHERE e0."orgId" = w."orgId" AND e0."clusterId" = w."clusterId" AND e0."lastHeartbeatAt" >= ${at(now, ENFORCEMENT_FRESH_MS)})
        AND NOT EXISTS (SELECT 1 FROM "Finding" f0
          WHERE f0."orgId" = w."orgId" AND f0."ruleId" = ${COVERAGE_RULE} AND f0.source = ${COVERAGE_SOURCE} AND f0.status = 'OPEN' AND f0."workloadId" = w.id))`;
  }
}

/** `w` complies with the practice (compliant=true) or is known not to (false). */
export function practiceWhere(practice: Practice, compliant: boolean, now: Date = new Date()): Prisma.Sql {
  const cond = complies(practice, now);
  return compliant ? Prisma.sql`(${cond}) IS TRUE` : Prisma.sql`(${cond}) IS FALSE`;
}
