import { Prisma, type SqlTx } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { type FindingFilters, type FindingSort, type SortDir } from "./filters.ts";

// The explorer's SQL, written by hand because every condition must stay on an index of "Finding" and
// the page must be one statement: Prisma would add a round trip per relation and cannot express the
// keyset conditions below. Filters naming places (cluster, namespace, workload) also cover image
// findings (imageId set, clusterId null) whose image runs there, through Container → Workload.

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What the place filters (cluster and namespace names, workload ids) stand for, resolved by one small
 * query before the page's: the matching cluster and namespace ids, and the images running (in a live
 * workload) there. As constant arrays the planner estimates them from column statistics and picks the
 * right plan: a handful of workloads is a bitmap scan of (workloadId, status) and (imageId, status)
 * then a sort of a few hundred rows; a whole cluster walks the sort index. A semi-join in the same
 * statement is estimated blindly (a third of the table) and always walks the sort index, which reads
 * most of the table for a single workload.
 */
export interface Places {
  clusterIds: string[] | null;
  namespaceIds: string[] | null;
  workloadIds: string[] | null;
  imageIds: string[];
  /** Clusters of the matched namespaces: lets a namespace filter use the (clusterId, status) index ("Finding" has no namespace index). */
  nsClusterIds: string[] | null;
  /**
   * True when the places hold few findings (by the tally's OPEN counts): the page then collects every
   * match by index and sorts them, instead of walking the sort index, which would read most of the table
   * when the matches sit late in the sort order.
   */
  narrow: boolean;
}

/** Below this many (open) findings in the places, matches are gathered and sorted rather than found by walking the sort order. */
export const NARROW_MAX = 20_000;

export async function resolvePlaces(db: SqlTx, orgId: string, f: FindingFilters): Promise<Places | null> {
  if (!f.cluster.length && !f.namespace.length && !f.workload.length) return null;
  const none = Prisma.sql`false`;
  // The clusters whose directly placed findings a cluster or namespace filter may match (an upper
  // bound for namespaces); a workload filter's own findings are few and left out of the estimate.
  const directClusters = f.cluster.length ? Prisma.sql`SELECT id FROM cl` : f.namespace.length ? Prisma.sql`SELECT "clusterId" FROM ns` : Prisma.sql`SELECT NULL::text WHERE false`;
  const [row] = await db.$queryRaw<
    { clusters: string[] | null; namespaces: string[] | null; images: string[] | null; nsClusters: string[] | null; imageEstimate: bigint | null; directEstimate: number | null }[]
  >`
    WITH cl AS (SELECT id FROM "Cluster" WHERE "orgId" = ${orgId} AND ${f.cluster.length ? Prisma.sql`name = ANY(${f.cluster}::text[])` : none}),
    ns AS (SELECT id, "clusterId" FROM "Namespace" WHERE "orgId" = ${orgId} AND ${f.namespace.length ? Prisma.sql`name = ANY(${f.namespace}::text[])` : none}
      ${f.cluster.length ? Prisma.sql`AND "clusterId" IN (SELECT id FROM cl)` : Prisma.empty}),
    img AS (SELECT DISTINCT c."imageId" AS id FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId"
      WHERE c."orgId" = ${orgId} AND c."imageId" IS NOT NULL AND w."orgId" = ${orgId} AND NOT w.deleted
      ${f.cluster.length ? Prisma.sql`AND w."clusterId" IN (SELECT id FROM cl)` : Prisma.empty}
      ${f.namespace.length ? Prisma.sql`AND w."namespaceId" IN (SELECT id FROM ns)` : Prisma.empty}
      ${f.workload.length ? Prisma.sql`AND w.id = ANY(${f.workload}::text[])` : Prisma.empty})
    SELECT (SELECT array_agg(id) FROM cl) AS clusters, (SELECT array_agg(id) FROM ns) AS namespaces, (SELECT array_agg(id) FROM img) AS images,
      (SELECT array_agg(DISTINCT "clusterId") FROM ns) AS "nsClusters",
      (SELECT sum(t.n)::int8 FROM "FindingTally" t WHERE t."orgId" = ${orgId} AND t.n > 0 AND t."clusterId" = '' AND t."imageId" IN (SELECT id FROM img)) AS "imageEstimate",
      -- Placed findings of the clusters, scaled by the share of their workloads the namespaces hold.
      (SELECT sum(t.n)::float8 FROM "FindingTally" t WHERE t."orgId" = ${orgId} AND t.n > 0 AND t."clusterId" IN (${directClusters}))
        * ${f.namespace.length ? Prisma.sql`(SELECT (count(*) FILTER (WHERE w."namespaceId" IN (SELECT id FROM ns)) + 1)::float8 / (count(*) + 1) FROM "Workload" w WHERE w."orgId" = ${orgId} AND NOT w.deleted AND w."clusterId" IN (${directClusters}))` : Prisma.sql`1`} AS "directEstimate"`;
  return {
    clusterIds: f.cluster.length ? (row?.clusters ?? []) : null,
    namespaceIds: f.namespace.length ? (row?.namespaces ?? []) : null,
    workloadIds: f.workload.length ? f.workload : null,
    imageIds: row?.images ?? [],
    nsClusterIds: f.namespace.length ? (row?.nsClusters ?? []) : null,
    narrow: Number(row?.imageEstimate ?? 0) + Number(row?.directEstimate ?? 0) <= NARROW_MAX,
  };
}

/**
 * The text `q` searches: rule id and package name, as one expression the trigram index serves
 * (migration 20261129085000). Titles are left out: indexing them cost a quarter of a finding's write,
 * and a vulnerability's title repeats its rule id and package.
 */
export const SEARCH_EXPR = Prisma.sql`(f."ruleId" || ' ' || COALESCE(f."packageName", ''))`;

/** The WHERE clause over `"Finding" f` for `filters` in `orgId` (no cursor); `places` from resolvePlaces. */
export function filtersWhere(orgId: string, f: FindingFilters, places: Places | null): Prisma.Sql {
  const and: Prisma.Sql[] = [Prisma.sql`f."orgId" = ${orgId}`];
  if (f.status) and.push(f.status.length === 1 ? Prisma.sql`f.status = ${f.status[0]}::"FindingStatus"` : Prisma.sql`f.status = ANY(${f.status}::"FindingStatus"[])`);
  // One value is written as `=` so the planner sees the sort indexes that start with it as ordered.
  if (f.type.length) and.push(f.type.length === 1 ? Prisma.sql`f.type = ${f.type[0]}::"FindingType"` : Prisma.sql`f.type = ANY(${f.type}::"FindingType"[])`);
  if (f.severity.length) and.push(f.severity.length === 1 ? Prisma.sql`f.severity = ${f.severity[0]}::"Severity"` : Prisma.sql`f.severity = ANY(${f.severity}::"Severity"[])`);
  if (f.rule.length) and.push(Prisma.sql`f."ruleId" = ANY(${f.rule}::text[])`);
  if (f.source.length) and.push(Prisma.sql`f.source = ANY(${f.source}::text[])`);
  // The cardinality test is implied by the overlap, but spelled out it lets the planner use the partial
  // index of open findings that carry techniques (a few percent of all rows) instead of walking the
  // whole severity order looking for them.
  if (f.technique.length) and.push(Prisma.sql`f."mitreTechniques" && ${f.technique}::text[] AND cardinality(f."mitreTechniques") > 0`);
  if (f.image.length) and.push(Prisma.sql`f."imageId" = ANY(${f.image}::text[])`);
  if (f.fixable !== undefined) and.push(Prisma.sql`f.fixable = ${f.fixable}`);
  if (f.since) and.push(Prisma.sql`f."firstSeen" >= ${f.since}::date`);
  if (f.q) and.push(Prisma.sql`${SEARCH_EXPR} ILIKE ${`%${escapeLike(f.q)}%`}`);
  if (places) {
    // Findings placed there directly, or image findings (no cluster, no workload) whose image runs there.
    const direct: Prisma.Sql[] = [];
    if (places.clusterIds) direct.push(Prisma.sql`f."clusterId" = ANY(${places.clusterIds}::text[])`);
    if (places.nsClusterIds && !places.clusterIds) direct.push(Prisma.sql`f."clusterId" = ANY(${places.nsClusterIds}::text[])`);
    if (places.namespaceIds) direct.push(Prisma.sql`f."namespaceId" = ANY(${places.namespaceIds}::text[])`);
    if (places.workloadIds) direct.push(Prisma.sql`f."workloadId" = ANY(${places.workloadIds}::text[])`);
    and.push(Prisma.sql`((${Prisma.join(direct, " AND ")})
      OR (f."clusterId" IS NULL AND f."workloadId" IS NULL AND f."imageId" = ANY(${places.imageIds}::text[])))`);
  }
  return Prisma.join(and, " AND ");
}

// Keyset pagination: every sort ends with the id, so the order is total and a page never repeats or
// skips a row when values tie. "severity desc" means most severe first, which is the enum's own
// (declaration) order; the secondary key (lastSeen) follows the direction so one index
// (orgId, status, severity, lastSeen DESC, id DESC) serves both directions by scanning it either way.

/** Sort key values of a row, as the cursor stores them: [primary?, secondary?, id]. */
export type SortValues = (string | number | null)[];

interface SortPlan {
  order: Prisma.Sql;
  /** The row's key values, read from the selected columns. */
  values(row: { severity: string; lastSeen: Date; firstSeen: Date; cvssScore: number | null; id: string }): SortValues;
  /**
   * The rows after the cursor `v` (all rows without one) as disjoint branches, each an index range read
   * in index order. The severity sort splits "the rest of the cursor's severity" from "the severities
   * after it" (restricted to the severity filter, and dropped when none is left): as one OR the planner
   * would walk the index from its start and filter, so every page would cost its depth.
   */
  branches(v: SortValues | null, severities: readonly string[]): Prisma.Sql[];
}

const isoOf = (d: Date) => d.toISOString();
const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;

export function sortPlan(sort: FindingSort, dir: SortDir): SortPlan {
  const desc = dir === "desc";
  const D = Prisma.raw(desc ? "DESC" : "ASC");
  const cmp = Prisma.raw(desc ? "<" : ">");
  switch (sort) {
    case "severity": {
      // Most severe first = enum ascending.
      const sevDir = Prisma.raw(desc ? "ASC" : "DESC");
      const sevCmp = Prisma.raw(desc ? ">" : "<");
      const inOrder = desc ? [...SEVERITY_ORDER] : [...SEVERITY_ORDER].reverse();
      return {
        order: Prisma.sql`f.severity ${sevDir}, f."lastSeen" ${D}, f.id ${D}`,
        values: (r) => [r.severity, isoOf(r.lastSeen), r.id],
        branches: (v, severities) => {
          if (!v) return [Prisma.sql`true`];
          const s = v[0] as (typeof SEVERITY_ORDER)[number];
          const same = Prisma.sql`f.severity = ${s}::"Severity" AND (f."lastSeen", f.id) ${cmp} (${v[1]}::timestamp, ${v[2]})`;
          const rest = inOrder.slice(inOrder.indexOf(s) + 1).filter((x) => severities.length === 0 || severities.includes(x));
          if (rest.length === 0) return [same];
          if (rest.length === 1) return [same, Prisma.sql`f.severity = ${rest[0]}::"Severity"`];
          return [same, severities.length ? Prisma.sql`f.severity ${sevCmp} ${s}::"Severity" AND f.severity = ANY(${rest}::"Severity"[])` : Prisma.sql`f.severity ${sevCmp} ${s}::"Severity"`];
        },
      };
    }
    case "lastSeen":
    case "firstSeen": {
      const col = Prisma.raw(sort === "lastSeen" ? `f."lastSeen"` : `f."firstSeen"`);
      return {
        order: Prisma.sql`${col} ${D}, f.id ${D}`,
        values: (r) => [isoOf(sort === "lastSeen" ? r.lastSeen : r.firstSeen), r.id],
        branches: (v) => [v ? Prisma.sql`(${col}, f.id) ${cmp} (${v[0]}::timestamp, ${v[1]})` : Prisma.sql`true`],
      };
    }
    case "cvss":
      // No score sorts below every score (-1), in both directions, as one comparable value.
      return {
        order: Prisma.sql`COALESCE(f."cvssScore", -1) ${D}, f.id ${D}`,
        values: (r) => [r.cvssScore ?? -1, r.id],
        branches: (v) => [v ? Prisma.sql`(COALESCE(f."cvssScore", -1), f.id) ${cmp} (${v[0]}::float8, ${v[1]})` : Prisma.sql`true`],
      };
  }
}

const CURSOR_VERSION = 1;

export function encodeCursor(sort: FindingSort, dir: SortDir, values: SortValues): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, sort, dir, ...values])).toString("base64url");
}

const badCursor = () => new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown or stale cursor; start from the first page" }] });

/** The key values of a cursor made for this sort; anything else (another sort, a hand-edited value) is a 400. */
export function decodeCursor(cursor: string, sort: FindingSort, dir: SortDir): SortValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed[0] !== CURSOR_VERSION || parsed[1] !== sort || parsed[2] !== dir) throw badCursor();
  const values = parsed.slice(3) as unknown[];
  const expected = sort === "severity" ? 3 : 2;
  if (values.length !== expected || typeof values[values.length - 1] !== "string") throw badCursor();
  for (const [i, v] of values.slice(0, -1).entries()) {
    if (sort === "severity" && i === 0 && !["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"].includes(v as string)) throw badCursor();
    else if (sort === "cvss" && typeof v !== "number") throw badCursor();
    else if (sort !== "cvss" && !(sort === "severity" && i === 0) && (typeof v !== "string" || Number.isNaN(Date.parse(v)))) throw badCursor();
  }
  return values as SortValues;
}
