import { type Db, plainSql, Prisma } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { likePattern } from "../inventory/page.ts";
import { SEVERITIES } from "../posture-score.ts";
import { RUNTIME_STATUSES, type RuntimeFindingsQuery, type RuntimeSort } from "./filters.ts";
import { type RuntimeRow } from "./view.ts";

// The Runtime list's SQL. Every statement starts on the index (orgId, type, status, severity,
// lastSeen DESC, id DESC), so only RUNTIME rows are read, never the organization's vulnerabilities.
// The "most recent" and "most severe" orders are a merge of one ordered, limited index range per
// (status, severity): each branch reads at most a page of rows, however many aggregates there are.
// "Most events" has no index; it sorts the organization's runtime aggregates of the status, which are
// few by construction (one per rule, place and image, not one per event).

export type SortValues = (string | number)[];

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s as string, i]));

/** Conditions of the filters over `"Finding" f`, besides orgId, type, status and severity. */
function filterConditions(orgId: string, q: RuntimeFindingsQuery): Prisma.Sql[] {
  const and: Prisma.Sql[] = [];
  // Events from a cluster the inventory does not know keep its name in the evidence only.
  if (q.cluster) {
    and.push(Prisma.sql`(f."clusterId" IN (SELECT id FROM "Cluster" WHERE "orgId" = ${orgId} AND name = ${q.cluster})
      OR (f."clusterId" IS NULL AND f.evidence->>'cluster' = ${q.cluster}))`);
  }
  if (q.namespace) {
    and.push(Prisma.sql`(f."namespaceId" IN (SELECT id FROM "Namespace" WHERE "orgId" = ${orgId} AND name = ${q.namespace}) OR f.evidence->>'namespace' = ${q.namespace})`);
  }
  if (q.workload) and.push(Prisma.sql`f."workloadId" = ${q.workload}`);
  if (q.rule) and.push(Prisma.sql`f."ruleId" = ${q.rule}`);
  if (q.technique) and.push(Prisma.sql`f."mitreTechniques" && ARRAY[${q.technique}]::text[]`);
  if (q.source) and.push(Prisma.sql`f.source = ${q.source}`);
  if (q.since) and.push(Prisma.sql`f."lastSeen" >= ${new Date(q.since).toISOString()}::timestamp`);
  if (q.q) and.push(Prisma.sql`(f.title ILIKE ${likePattern(q.q)} OR f."ruleId" ILIKE ${likePattern(q.q)})`);
  return and;
}

function statusesOf(q: RuntimeFindingsQuery): string[] {
  return q.status === "ALL" ? [...RUNTIME_STATUSES] : [q.status];
}

const COLUMNS = Prisma.sql`f.id, f.title, f."ruleId", f.severity, f.status, f.occurrences, f."firstSeen", f."lastSeen", f.source, f."clusterId",
  f."namespaceId", f."workloadId", f."mitreTechniques", f.evidence, f."exceptionId"`;

function orderOf(sort: RuntimeSort): Prisma.Sql {
  if (sort === "occurrences") return Prisma.sql`f.occurrences DESC, f.id DESC`;
  if (sort === "severity") return Prisma.sql`f.severity ASC, f."lastSeen" DESC, f.id DESC`;
  return Prisma.sql`f."lastSeen" DESC, f.id DESC`;
}

/** The page's rows of "Finding" (before the name joins), in the sort's order, at most `take`. */
function chooseRows(orgId: string, q: RuntimeFindingsQuery, cursor: SortValues | null, take: number): Prisma.Sql {
  const filters = filterConditions(orgId, q);
  const base = (status: string, extra: Prisma.Sql[]) =>
    Prisma.join([Prisma.sql`f."orgId" = ${orgId}`, Prisma.sql`f.type = 'RUNTIME'::"FindingType"`, Prisma.sql`f.status = ${status}::"FindingStatus"`, ...extra, ...filters], " AND ");
  if (q.sort === "occurrences") {
    const after = cursor ? [Prisma.sql`(f.occurrences, f.id) < (${Number(cursor[0])}::int, ${String(cursor[1])}::text)`] : [];
    const sev = q.severity.length ? [Prisma.sql`f.severity = ANY(${q.severity}::"Severity"[])`] : [];
    const parts = statusesOf(q).map((st) => Prisma.sql`SELECT ${COLUMNS} FROM "Finding" f WHERE ${base(st, [...sev, ...after])}`);
    return Prisma.sql`SELECT * FROM (${Prisma.join(parts, " UNION ALL ")}) f ORDER BY ${orderOf(q.sort)} LIMIT ${take}`;
  }
  const severities = q.severity.length ? SEVERITIES.filter((s) => q.severity.includes(s)) : SEVERITIES;
  const parts: Prisma.Sql[] = [];
  for (const st of statusesOf(q)) {
    for (const sev of severities) {
      const extra = [Prisma.sql`f.severity = ${sev}::"Severity"`];
      if (cursor && q.sort === "lastSeen") extra.push(Prisma.sql`(f."lastSeen", f.id) < (${String(cursor[0])}::timestamp, ${String(cursor[1])}::text)`);
      if (cursor && q.sort === "severity") {
        const at = SEVERITY_RANK.get(String(cursor[0]))!;
        const mine = SEVERITY_RANK.get(sev)!;
        // Severities before the cursor's are done; the cursor's own continues after its row; later ones start from the top.
        if (mine < at) continue;
        if (mine === at) extra.push(Prisma.sql`(f."lastSeen", f.id) < (${String(cursor[1])}::timestamp, ${String(cursor[2])}::text)`);
      }
      parts.push(Prisma.sql`(SELECT ${COLUMNS} FROM "Finding" f WHERE ${base(st, extra)} ORDER BY f."lastSeen" DESC, f.id DESC LIMIT ${take})`);
    }
  }
  if (parts.length === 0) return Prisma.sql`SELECT ${COLUMNS} FROM "Finding" f WHERE false`;
  return Prisma.sql`SELECT * FROM (${Prisma.join(parts, " UNION ALL ")}) f ORDER BY ${orderOf(q.sort)} LIMIT ${take}`;
}

const CURSOR_VERSION = 1;
const badCursor = () => new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown or stale cursor; start from the first page" }] });

export function encodeRuntimeCursor(sort: RuntimeSort, values: SortValues): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, sort, ...values])).toString("base64url");
}

/** The key values of a cursor made for this sort; another sort's cursor or an edited one is a 400. */
export function decodeRuntimeCursor(cursor: string, sort: RuntimeSort): SortValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed[0] !== CURSOR_VERSION || parsed[1] !== sort) throw badCursor();
  const v = parsed.slice(2) as unknown[];
  const isTime = (x: unknown) => typeof x === "string" && !Number.isNaN(Date.parse(x));
  const ok =
    sort === "lastSeen"
      ? v.length === 2 && isTime(v[0])
      : sort === "severity"
        ? v.length === 3 && SEVERITY_RANK.has(v[0] as string) && isTime(v[1])
        : v.length === 2 && Number.isInteger(v[0]);
  if (!ok || typeof v[v.length - 1] !== "string") throw badCursor();
  return v as SortValues;
}

function valuesOf(sort: RuntimeSort, r: RuntimeRow): SortValues {
  if (sort === "occurrences") return [Number(r.occurrences), r.id];
  if (sort === "severity") return [r.severity, r.lastSeen.toISOString(), r.id];
  return [r.lastSeen.toISOString(), r.id];
}

/** One keyset page of runtime aggregates with the names of their cluster, namespace and workload. */
export async function runtimePage(db: Db, orgId: string, q: RuntimeFindingsQuery): Promise<{ rows: RuntimeRow[]; nextCursor: string | null }> {
  const cursor = q.cursor ? decodeRuntimeCursor(q.cursor, q.sort) : null;
  const rows = await plainSql(db).$queryRaw<RuntimeRow[]>`
    SELECT f.*, c.name AS "clusterName", n.name AS "namespaceName", w.name AS "workloadName", w.kind AS "workloadKind"
    FROM (${chooseRows(orgId, q, cursor, q.limit + 1)}) f
    LEFT JOIN "Cluster" c ON c.id = f."clusterId"
    LEFT JOIN "Namespace" n ON n.id = f."namespaceId"
    LEFT JOIN "Workload" w ON w.id = f."workloadId"
    ORDER BY ${orderOf(q.sort)}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: last && rows.length > q.limit ? encodeRuntimeCursor(q.sort, valuesOf(q.sort, last)) : null };
}

export type RuntimeSeverityCounts = Record<(typeof SEVERITIES)[number], number> & { total: number };

/** Aggregates per severity for the filters other than severity (the page's chips show every severity). */
export async function runtimeCounts(db: Db, orgId: string, q: RuntimeFindingsQuery): Promise<RuntimeSeverityCounts> {
  const st = statusesOf(q);
  const rows = await plainSql(db).$queryRaw<{ severity: string; n: bigint }[]>`
    SELECT f.severity, count(*)::int8 AS n FROM "Finding" f
    WHERE ${Prisma.join([Prisma.sql`f."orgId" = ${orgId}`, Prisma.sql`f.type = 'RUNTIME'::"FindingType"`, Prisma.sql`f.status = ANY(${st}::"FindingStatus"[])`, ...filterConditions(orgId, q)], " AND ")}
    GROUP BY f.severity`;
  const out = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0, total: 0 } as RuntimeSeverityCounts;
  for (const r of rows) {
    out[r.severity as (typeof SEVERITIES)[number]] = Number(r.n);
    out.total += Number(r.n);
  }
  return out;
}
