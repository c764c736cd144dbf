import { type Db, plainSql } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { cursorSchema, likePattern, type Page, pageInMemory, pageLimitSchema, searchSchema, sortDirSchema, withoutEmpty } from "../inventory/page.ts";
import { namespaceCounts, type SeverityCounts } from "../inventory/tally.ts";

export const NAMESPACE_SORTS = ["name", "cluster", "workloads", "lastSeen"] as const;

export const listNamespacesSchema = z.object({
  cluster: z.string().trim().min(1).max(253).optional().meta({ description: "Cluster name" }),
  q: searchSchema.meta({ description: "Part of the namespace name" }),
  sort: z.enum(NAMESPACE_SORTS).default("name"),
  dir: sortDirSchema.meta({ description: "Default: asc for name and cluster, desc otherwise" }),
  cursor: cursorSchema,
  limit: pageLimitSchema,
});

export type ListNamespacesQuery = z.input<typeof listNamespacesSchema>;

export interface NamespaceRow {
  id: string;
  name: string;
  cluster: { id: string; name: string };
  workloads: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Counted for the rows of the page only. */
  openFindings: SeverityCounts;
}

/**
 * Live namespaces (any member, or a `read` token). Rows and their workload counts are small (an index-only
 * count per namespace), so they are sorted in memory; open findings are counted for the page's rows only.
 */
export async function listNamespaces(db: Db, ctx: OrgContext, input: unknown = {}): Promise<Page<NamespaceRow>> {
  requireReader(ctx);
  const parsed = listNamespacesSchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const sql = plainSql(db);
  const namespaces = (
    await sql.$queryRaw<{ id: string; name: string; firstSeen: Date; lastSeen: Date; clusterId: string; clusterName: string }[]>`
      SELECT n.id, n.name, n."firstSeen", n."lastSeen", c.id AS "clusterId", c.name AS "clusterName"
      FROM "Namespace" n JOIN "Cluster" c ON c.id = n."clusterId"
      WHERE n."orgId" = ${ctx.orgId} AND n."deletedAt" IS NULL
        AND (${q.cluster ?? null}::text IS NULL OR c.name = ${q.cluster ?? null}::text)
        AND (${q.q ? likePattern(q.q) : null}::text IS NULL OR n.name ILIKE ${q.q ? likePattern(q.q) : null}::text)`
  ).map(({ clusterId, clusterName, ...n }) => ({ ...n, cluster: { id: clusterId, name: clusterName } }));
  // One index-only pass over the organization's live workloads beats an IN list of every namespace id.
  const workloads = await sql.$queryRaw<{ ns: string; n: number }[]>`
    SELECT "namespaceId" AS ns, count(*)::int AS n FROM "Workload" WHERE "orgId" = ${ctx.orgId} AND NOT deleted GROUP BY 1`;
  const wlBy = new Map(workloads.map((w) => [w.ns, w.n]));
  const rows = namespaces.map((n) => ({ ...n, workloads: wlBy.get(n.id) ?? 0 }));
  const dir = q.dir ?? (q.sort === "name" || q.sort === "cluster" ? "asc" : "desc");
  const page =
    q.sort === "name" || q.sort === "cluster"
      ? pageInMemory(rows, q.sort === "name" ? (r) => `${r.name}\u0000${r.cluster.name}` : (r) => `${r.cluster.name}\u0000${r.name}`, dir, q.limit, q.cursor, "string")
      : pageInMemory(rows, q.sort === "workloads" ? (r) => r.workloads : (r) => r.lastSeen.getTime(), dir, q.limit, q.cursor, "number");
  const counts = await namespaceCounts(sql, ctx.orgId, page.items.map((r) => r.id));
  return { items: page.items.map((r) => ({ ...r, openFindings: counts.get(r.id)! })), nextCursor: page.nextCursor };
}
