import { SEVERITIES } from "../posture-score.ts";
import { type Severity, type SqlTx } from "@bulwark/db";

// Open-finding counts for inventory rows, read from FindingTally (kept exact by triggers on Finding)
// instead of counting findings: a page of 50 rows costs a few index lookups whatever the finding count.
// Image findings carry the image id (their clusterId is ''), so a workload, namespace or cluster counts
// the images it runs plus its own rows; findings with both ids are counted on the cluster side once.


export type SeverityCounts = Record<Severity, number> & { total: number };

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0, total: 0 };
}

type Row = { key: string; severity: Severity; n: number | bigint };

function collect(rows: Row[], keys: readonly string[]): Map<string, SeverityCounts> {
  const out = new Map<string, SeverityCounts>(keys.map((k) => [k, emptyCounts()]));
  for (const r of rows) {
    const c = out.get(r.key);
    if (!c) continue;
    const n = Number(r.n);
    c[r.severity] += n;
    c.total += n;
  }
  return out;
}

/**
 * Per image: every open finding of the image (sum of its tally rows). Image findings have clusterId ''
 * (an index seek on the primary key); the few rows with both ids are read by a range over the
 * organization's cluster rows, so the statement never scans the organization's whole tally.
 */
export async function imageCounts(sql: SqlTx, orgId: string, imageIds: readonly string[]): Promise<Map<string, SeverityCounts>> {
  if (imageIds.length === 0) return new Map();
  const ids = [...imageIds];
  const rows = await sql.$queryRaw<Row[]>`
    SELECT key, severity, sum(n)::int AS n FROM (
      SELECT "imageId" AS key, severity, n FROM "FindingTally" WHERE "orgId" = ${orgId} AND "clusterId" = '' AND "imageId" = ANY(${ids}::text[]) AND n > 0
      UNION ALL
      SELECT "imageId" AS key, severity, n FROM "FindingTally" WHERE "orgId" = ${orgId} AND "clusterId" > '' AND "imageId" = ANY(${ids}::text[]) AND n > 0
    ) t GROUP BY 1, 2`;
  return collect(rows, imageIds);
}

/** Per workload: the images it runs (tally) plus its own open findings that name no image (Finding (workloadId, status) index). */
export async function workloadCounts(sql: SqlTx, orgId: string, workloadIds: readonly string[]): Promise<Map<string, SeverityCounts>> {
  if (workloadIds.length === 0) return new Map();
  const ids = [...workloadIds];
  const [images, own] = await Promise.all([
    sql.$queryRaw<{ workloadId: string; imageId: string }[]>`
      SELECT DISTINCT "workloadId", "imageId" FROM "Container" WHERE "orgId" = ${orgId} AND "workloadId" = ANY(${ids}::text[]) AND "imageId" IS NOT NULL`,
    sql.$queryRaw<Row[]>`
      SELECT "workloadId" AS key, severity, count(*)::int AS n FROM "Finding"
      WHERE "workloadId" = ANY(${ids}::text[]) AND "workloadId" IS NOT NULL AND status = 'OPEN' AND "imageId" IS NULL AND "orgId" = ${orgId}
      GROUP BY 1, 2`,
  ]);
  const perImage = await imageCounts(sql, orgId, [...new Set(images.map((r) => r.imageId))]);
  const rows: Row[] = [...own];
  for (const r of images) {
    const c = perImage.get(r.imageId);
    if (c) for (const sev of SEVERITIES) if (c[sev] > 0) rows.push({ key: r.workloadId, severity: sev, n: c[sev] });
  }
  return collect(rows, workloadIds);
}

/**
 * Per namespace: the images its live workloads run plus those workloads' own open findings. Resolved
 * through the workload ids first: joined in one statement, the planner misjudges the partial
 * (workloadId, status) index and walks every workload finding of the organization.
 */
export async function namespaceCounts(sql: SqlTx, orgId: string, namespaceIds: readonly string[]): Promise<Map<string, SeverityCounts>> {
  if (namespaceIds.length === 0) return new Map();
  const workloads = await sql.$queryRaw<{ id: string; ns: string }[]>`
    SELECT id, "namespaceId" AS ns FROM "Workload" WHERE "orgId" = ${orgId} AND NOT deleted AND "namespaceId" = ANY(${[...namespaceIds]}::text[])`;
  if (workloads.length === 0) return collect([], namespaceIds);
  const nsOf = new Map(workloads.map((w) => [w.id, w.ns]));
  const wids = workloads.map((w) => w.id);
  const [images, own] = await Promise.all([
    sql.$queryRaw<{ workloadId: string; imageId: string }[]>`
      SELECT DISTINCT "workloadId", "imageId" FROM "Container" WHERE "orgId" = ${orgId} AND "workloadId" = ANY(${wids}::text[]) AND "imageId" IS NOT NULL`,
    sql.$queryRaw<Row[]>`
      SELECT "workloadId" AS key, severity, count(*)::int AS n FROM "Finding"
      WHERE "workloadId" = ANY(${wids}::text[]) AND "workloadId" IS NOT NULL AND status = 'OPEN' AND "imageId" IS NULL AND "orgId" = ${orgId}
      GROUP BY 1, 2`,
  ]);
  const pairs = new Set(images.map((r) => `${nsOf.get(r.workloadId)}\u0000${r.imageId}`));
  const perImage = await imageCounts(sql, orgId, [...new Set(images.map((r) => r.imageId))]);
  const rows: Row[] = own.map((r) => ({ ...r, key: nsOf.get(r.key) ?? "" }));
  for (const pair of pairs) {
    const [ns, imageId] = pair.split("\u0000") as [string, string];
    const c = perImage.get(imageId);
    if (c) for (const sev of SEVERITIES) if (c[sev] > 0) rows.push({ key: ns, severity: sev, n: c[sev] });
  }
  return collect(rows, namespaceIds);
}

/** Per cluster: its own tally rows plus the image rows of the images its live workloads run. */
export async function clusterCounts(sql: SqlTx, orgId: string, clusterIds: readonly string[]): Promise<Map<string, SeverityCounts>> {
  if (clusterIds.length === 0) return new Map();
  const ids = [...clusterIds];
  const rows = await sql.$queryRaw<Row[]>`
    SELECT x."clusterId" AS key, ft.severity, sum(ft.n)::int AS n
    FROM (SELECT DISTINCT w."clusterId", c."imageId" FROM "Workload" w JOIN "Container" c ON c."workloadId" = w.id
          WHERE w."orgId" = ${orgId} AND NOT w.deleted AND w."clusterId" = ANY(${ids}::text[]) AND c."imageId" IS NOT NULL) x
    JOIN "FindingTally" ft ON ft."orgId" = ${orgId} AND ft."clusterId" = '' AND ft."imageId" = x."imageId" AND ft.n > 0
    GROUP BY 1, 2
    UNION ALL
    SELECT "clusterId" AS key, severity, sum(n)::int AS n FROM "FindingTally"
    WHERE "orgId" = ${orgId} AND "clusterId" = ANY(${ids}::text[]) AND n > 0 GROUP BY 1, 2`;
  return collect(rows, clusterIds);
}
