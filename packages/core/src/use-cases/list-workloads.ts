import { type Db, plainSql, Prisma } from "@bulwark/db";
import { z } from "zod";
import { PRACTICES } from "../compliance/posture-counts.ts";
import { practiceWhere } from "../compliance/practice-filter.ts";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { boolParamSchema, cursorSchema, decodeCursor, encodeCursor, likePattern, type Page, pageLimitSchema, searchSchema, sortDirSchema, withoutEmpty } from "../inventory/page.ts";
import { type SeverityCounts, workloadCounts } from "../inventory/tally.ts";

export const WORKLOAD_SORTS = ["name", "risk", "lastSeen"] as const;
export const PSS_LEVELS = ["restricted", "baseline", "privileged"] as const;

export const listWorkloadsSchema = z.object({
  cluster: z.string().trim().min(1).max(253).optional().meta({ description: "Cluster name" }),
  namespace: z.string().trim().min(1).max(253).optional().meta({ description: "Namespace name (in any cluster unless cluster is set)" }),
  kind: z.string().trim().min(1).max(63).optional().meta({ description: "e.g. Deployment, StatefulSet, DaemonSet, CronJob, Pod" }),
  pssLevel: z.enum([...PSS_LEVELS, "unevaluated"]).optional().meta({ description: "Highest Pod Security Standards level met; unevaluated: not evaluated yet" }),
  minRisk: z.coerce.number().int().min(0).max(100).optional().meta({ description: "Risk score at least this" }),
  exposed: boolParamSchema.optional().meta({ description: "true: exposed outside the cluster by a Service; false: not exposed" }),
  deleted: boolParamSchema.default(false).meta({ description: "true lists workloads deleted from their cluster instead of live ones" }),
  practice: z.enum(PRACTICES).optional().meta({ description: "One of the five practices (docs/compliance.md); with compliant" }),
  compliant: boolParamSchema.optional().meta({ description: "With practice: true lists workloads meeting it, false those known not to (default false)" }),
  q: searchSchema.meta({ description: "Part of the workload name" }),
  sort: z.enum(WORKLOAD_SORTS).default("risk"),
  dir: sortDirSchema.meta({ description: "Default: asc for name, desc otherwise" }),
  cursor: cursorSchema,
  limit: pageLimitSchema,
});

export type ListWorkloadsQuery = z.input<typeof listWorkloadsSchema>;

export interface WorkloadRow {
  id: string;
  kind: string;
  name: string;
  cluster: { id: string; name: string };
  namespace: { id: string; name: string };
  riskScore: number;
  pssLevel: string | null;
  exposed: boolean;
  containers: number;
  lastSeen: Date;
  deleted: boolean;
  /** The images it runs (tally) plus its own findings; counted for the page's rows only. */
  openFindings: SeverityCounts;
}

interface Raw {
  id: string;
  kind: string;
  name: string;
  clusterId: string;
  clusterName: string;
  namespaceId: string;
  namespaceName: string;
  riskScore: number;
  pssLevel: string | null;
  exposed: boolean;
  containers: number;
  lastSeen: Date;
  deleted: boolean;
}

const KEY: Record<(typeof WORKLOAD_SORTS)[number], { col: Prisma.Sql; type: "string" | "number"; cast: (v: string | number) => Prisma.Sql }> = {
  name: { col: Prisma.sql`w.name`, type: "string", cast: (v) => Prisma.sql`${String(v)}::text` },
  risk: { col: Prisma.sql`w."riskScore"`, type: "number", cast: (v) => Prisma.sql`${Number(v)}::int` },
  lastSeen: { col: Prisma.sql`w."lastSeen"`, type: "number", cast: (v) => Prisma.sql`${new Date(Number(v)).toISOString()}::timestamp` },
};

/**
 * Workloads of the organization (any member, or a `read` token), keyset-paged in the database. Raw SQL
 * on node-postgres: the same page through Prisma's relation loading costs ~20x the statement itself.
 */
export async function listWorkloads(db: Db, ctx: OrgContext, input: unknown = {}): Promise<Page<WorkloadRow>> {
  requireReader(ctx);
  const parsed = listWorkloadsSchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const dir = q.dir ?? (q.sort === "name" ? "asc" : "desc");
  const key = KEY[q.sort];
  const where: Prisma.Sql[] = [Prisma.sql`w."orgId" = ${ctx.orgId}`, Prisma.sql`w.deleted = ${q.deleted}`];
  if (q.cluster) where.push(Prisma.sql`c.name = ${q.cluster}`);
  if (q.namespace) where.push(Prisma.sql`n.name = ${q.namespace}`);
  if (q.kind) where.push(Prisma.sql`w.kind = ${q.kind}`);
  if (q.pssLevel) where.push(q.pssLevel === "unevaluated" ? Prisma.sql`w."pssLevel" IS NULL` : Prisma.sql`w."pssLevel" = ${q.pssLevel}`);
  if (q.minRisk !== undefined) where.push(Prisma.sql`w."riskScore" >= ${q.minRisk}`);
  if (q.exposed !== undefined) where.push(q.exposed ? Prisma.sql`w."exposedBy" <> '[]'::jsonb` : Prisma.sql`w."exposedBy" = '[]'::jsonb`);
  if (q.q) where.push(Prisma.sql`w.name ILIKE ${likePattern(q.q)}`);
  if (q.practice) where.push(practiceWhere(q.practice, q.compliant ?? false));
  if (q.cursor) {
    const [v, id] = decodeCursor(q.cursor, key.type);
    where.push(dir === "asc" ? Prisma.sql`(${key.col}, w.id) > (${key.cast(v)}, ${id}::text)` : Prisma.sql`(${key.col}, w.id) < (${key.cast(v)}, ${id}::text)`);
  }
  const order = dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const rows = await plainSql(db).$queryRaw<Raw[]>`
    SELECT w.id, w.kind, w.name, w."clusterId", c.name AS "clusterName", w."namespaceId", n.name AS "namespaceName", w."riskScore", w."pssLevel",
      w."exposedBy" <> '[]'::jsonb AS exposed, w."lastSeen", w.deleted,
      (SELECT count(*)::int FROM "Container" k WHERE k."workloadId" = w.id) AS containers
    FROM "Workload" w JOIN "Cluster" c ON c.id = w."clusterId" JOIN "Namespace" n ON n.id = w."namespaceId"
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${key.col} ${order}, w.id ${order}
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const counts = await workloadCounts(plainSql(db), ctx.orgId, page.map((r) => r.id));
  const last = page.at(-1);
  const keyOf = (r: Raw) => (q.sort === "name" ? r.name : q.sort === "risk" ? r.riskScore : r.lastSeen.getTime());
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      cluster: { id: r.clusterId, name: r.clusterName },
      namespace: { id: r.namespaceId, name: r.namespaceName },
      riskScore: r.riskScore,
      pssLevel: r.pssLevel,
      exposed: r.exposed,
      containers: r.containers,
      lastSeen: r.lastSeen,
      deleted: r.deleted,
      openFindings: counts.get(r.id)!,
    })),
    nextCursor: last && rows.length > q.limit ? encodeCursor(keyOf(last), last.id) : null,
  };
}
