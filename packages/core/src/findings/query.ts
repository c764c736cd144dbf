import { type Db, plainSql, Prisma } from "@bulwark/db";
import { FINDING_STATUS_FILTERS, type FindingFilters } from "./filters.ts";
import { decodeCursor, encodeCursor, filtersWhere, type Places, resolvePlaces, sortPlan } from "./sql.ts";

// One page of findings as the table (and the CSV) shows them: the page is chosen on "Finding" alone
// (index order + LIMIT), then joined to its image, cluster, namespace and workload for the names,
// so the joins cost one lookup per row shown, never per row scanned.

export interface FindingListRow {
  id: string;
  severity: string;
  type: string;
  status: string;
  title: string;
  ruleId: string;
  source: string;
  packageName: string | null;
  packageVersion: string | null;
  fixedVersion: string | null;
  fixable: boolean;
  cvssScore: number | null;
  imageId: string | null;
  /** registry/repository:tag (the first tag), or @digest when untagged. */
  image: string | null;
  clusterId: string | null;
  cluster: string | null;
  namespaceId: string | null;
  namespace: string | null;
  workloadId: string | null;
  workload: string | null;
  workloadKind: string | null;
  exceptionId: string | null;
  firstSeen: Date;
  lastSeen: Date;
}

interface RawRow extends Omit<FindingListRow, "image"> {
  registryHost: string | null;
  repository: string | null;
  tag: string | null;
  digest: string | null;
}

/** The place filters resolved once (resolvePlaces), for callers that run several queries with the same filters. */
export async function placesOf(db: Db, orgId: string, filters: FindingFilters): Promise<Places | null> {
  return resolvePlaces(plainSql(db), orgId, filters);
}

export async function findingsPage(
  db: Db,
  orgId: string,
  filters: FindingFilters,
  limit: number,
  places?: Places | null,
): Promise<{ rows: FindingListRow[]; nextCursor: string | null }> {
  const plan = sortPlan(filters.sort, filters.dir);
  const branches = plan.branches(filters.cursor ? decodeCursor(filters.cursor, filters.sort, filters.dir) : null, filters.severity);
  if (branches.length === 0) return { rows: [], nextCursor: null };
  const resolved = places === undefined ? await placesOf(db, orgId, filters) : places;
  const raw = await plainSql(db).$queryRaw<RawRow[]>`
    SELECT f.id, f.severity, f.type, f.status, f.title, f."ruleId", f.source, f."packageName", f."packageVersion", f."fixedVersion",
      f.fixable, f."cvssScore", f."imageId", f."clusterId", f."namespaceId", f."workloadId", f."exceptionId", f."firstSeen", f."lastSeen",
      i."registryHost", i.repository, i.tags[1] AS tag, i.digest, c.name AS cluster, n.name AS namespace, w.name AS workload, w.kind AS "workloadKind"
    FROM (${chooseRows(orgId, filters, resolved, branches, plan.order, limit + 1)}) f
    LEFT JOIN "Image" i ON i.id = f."imageId"
    LEFT JOIN "Cluster" c ON c.id = f."clusterId"
    LEFT JOIN "Namespace" n ON n.id = f."namespaceId"
    LEFT JOIN "Workload" w ON w.id = f."workloadId"
    ORDER BY ${plan.order}`;
  const more = raw.length > limit;
  const page = raw.slice(0, limit);
  const rows = page.map(({ registryHost, repository, tag, digest, ...r }) => ({
    ...r,
    cvssScore: r.cvssScore === null ? null : Number(r.cvssScore),
    image: repository === null ? null : `${registryHost}/${repository}${tag ? `:${tag}` : digest ? `@${digest.slice(0, 19)}` : ""}`,
  }));
  const last = rows[rows.length - 1];
  return { rows, nextCursor: more && last ? encodeCursor(filters.sort, filters.dir, plan.values(last)) : null };
}

/**
 * The page's rows of "Finding", before the joins. Several statuses (or any) are one ordered scan per
 * status merged by the outer ORDER BY: every sort index starts with (orgId, status), so a scan without
 * a single status could not read them in order and would sort the whole organization. Narrow places
 * gather their matches first (MATERIALIZED keeps the planner from walking the sort index instead).
 */
function chooseRows(orgId: string, filters: FindingFilters, places: Places | null, branches: Prisma.Sql[], order: Prisma.Sql, take: number): Prisma.Sql {
  const statuses = filters.status ?? FINDING_STATUS_FILTERS;
  const one = (status: readonly string[], branch: Prisma.Sql) => {
    const where = filtersWhere(orgId, { ...filters, status: [...status] as (typeof FINDING_STATUS_FILTERS)[number][] }, places);
    // Technique filters select from the few findings that carry techniques (their own partial index):
    // gathering them and sorting beats walking the sort order past every vulnerability.
    return places?.narrow || filters.technique.length > 0
      ? Prisma.sql`WITH m AS MATERIALIZED (SELECT f.* FROM "Finding" f WHERE ${where} AND ${branch}) SELECT f.* FROM m f ORDER BY ${order} LIMIT ${take}`
      : Prisma.sql`SELECT f.* FROM "Finding" f WHERE ${where} AND ${branch} ORDER BY ${order} LIMIT ${take}`;
  };
  // One ordered, limited scan per (status, sort branch), merged by the outer ORDER BY. Narrow places
  // gather all their matches once per status instead: branches would only repeat that work.
  const perStatus = statuses.map((s) => [s]);
  const anyBranch = Prisma.sql`(${Prisma.join(
    branches.map((b) => Prisma.sql`(${b})`),
    " OR ",
  )})`;
  const parts = places?.narrow ? perStatus.map((st) => one(st, anyBranch)) : perStatus.flatMap((st) => branches.map((b) => one(st, b)));
  if (parts.length === 1) return parts[0]!;
  return Prisma.sql`SELECT f.* FROM (${Prisma.join(
    parts.map((p) => Prisma.sql`(${p})`),
    " UNION ALL ",
  )}) f ORDER BY ${order} LIMIT ${take}`;
}

/** Counts up to this many rows exactly; beyond it the answer is "more than COUNT_CAP". */
export const COUNT_CAP = 10_000;

export interface FindingTotal {
  count: number;
  /** False: count is a lower bound (counting stopped at COUNT_CAP, or was not worth running). */
  exact: boolean;
  /** Where the number came from: the tally table (exact, any size), a bounded count, or the page itself (at least its rows). */
  via: "tally" | "count" | "page";
}

/** True when the FindingTally keys answer these filters exactly: OPEN findings by type/severity/cluster/image/fixable. */
export function tallyAnswers(f: FindingFilters): boolean {
  return (
    f.status !== null &&
    f.status.length === 1 &&
    f.status[0] === "OPEN" &&
    !f.namespace.length &&
    !f.workload.length &&
    !f.rule.length &&
    !f.source.length &&
    !f.technique.length &&
    !f.since &&
    !f.q
  );
}

/**
 * True when a bounded count is cheap: every condition is served by an index, so counting COUNT_CAP + 1
 * rows reads about that many index entries. Conditions no index serves (technique, since, source, q,
 * broad places) could make the count read the whole organization to find a few rows; those totals
 * come from the page instead.
 */
export function countIsCheap(f: FindingFilters, places: Places | null): boolean {
  return !f.technique.length && !f.since && !f.source.length && !f.q && (places === null || places.narrow);
}

/** The total for the filters: the tally when it answers them, otherwise a bounded count (see countIsCheap). */
export async function findingsTotal(db: Db, orgId: string, filters: FindingFilters, places: Places | null): Promise<FindingTotal> {
  const sql = plainSql(db);
  if (tallyAnswers(filters)) {
    const and: Prisma.Sql[] = [Prisma.sql`t."orgId" = ${orgId}`, Prisma.sql`t.n > 0`];
    if (filters.type.length) and.push(Prisma.sql`t.type = ANY(${filters.type}::"FindingType"[])`);
    if (filters.severity.length) and.push(Prisma.sql`t.severity = ANY(${filters.severity}::"Severity"[])`);
    if (filters.fixable !== undefined) and.push(Prisma.sql`t.fixable = ${filters.fixable}`);
    if (filters.image.length) and.push(Prisma.sql`t."imageId" = ANY(${filters.image}::text[])`);
    if (places?.clusterIds) {
      and.push(Prisma.sql`(t."clusterId" = ANY(${places.clusterIds}::text[]) OR (t."clusterId" = '' AND t."imageId" = ANY(${places.imageIds}::text[])))`);
    }
    const [row] = await sql.$queryRaw<{ n: bigint | null }[]>`SELECT sum(t.n)::int8 AS n FROM "FindingTally" t WHERE ${Prisma.join(and, " AND ")}`;
    return { count: Number(row?.n ?? 0), exact: true, via: "tally" };
  }
  const [row] = await sql.$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::int8 AS n FROM (SELECT 1 FROM "Finding" f WHERE ${filtersWhere(orgId, filters, places)} LIMIT ${COUNT_CAP + 1}) s`;
  const n = Number(row?.n ?? 0);
  return n > COUNT_CAP ? { count: COUNT_CAP, exact: false, via: "count" } : { count: n, exact: true, via: "count" };
}
