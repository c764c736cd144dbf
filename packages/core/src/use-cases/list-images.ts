import { type Db, plainSql, Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { boolParamSchema, cursorSchema, decodeCursor, encodeCursor, likePattern, type Page, pageLimitSchema, searchSchema, sortDirSchema, withoutEmpty } from "../inventory/page.ts";
import { imageCounts, type SeverityCounts } from "../inventory/tally.ts";

export const IMAGE_SORTS = ["repository", "critical", "findings", "lastSeen", "lastScanned"] as const;

export const listImagesSchema = z.object({
  registry: z.string().trim().min(1).max(253).optional().meta({ description: "Registry host, e.g. ghcr.io" }),
  q: searchSchema.meta({ description: "Part of the repository (registry/repository) or a tag" }),
  fixableCritical: boolParamSchema.optional().meta({ description: "true: has an open critical finding with a fix; false: has none" }),
  signature: z.enum(["verified", "unverified", "unknown"]).optional().meta({ description: "Signature verification as the registry connector reported it" }),
  malware: z.enum(["clean", "malicious", "unknown"]).optional().meta({ description: "Malware verdict; unknown: none reported" }),
  running: boolParamSchema.optional().meta({ description: "true: a live workload runs it; false: none does" }),
  sort: z.enum(IMAGE_SORTS).default("critical"),
  dir: sortDirSchema.meta({ description: "Default: asc for repository, desc otherwise" }),
  cursor: cursorSchema,
  limit: pageLimitSchema,
});

export type ListImagesQuery = z.input<typeof listImagesSchema>;

export interface ImageRow {
  id: string;
  digest: string;
  registryHost: string;
  repository: string;
  tags: string[];
  osName: string | null;
  signatureVerified: boolean | null;
  malwareVerdict: string | null;
  lastSeen: Date;
  lastScannedAt: Date | null;
  running: boolean;
  /** Live workloads running it (page rows only). */
  workloads: number;
  fixableCritical: number;
  openFindings: SeverityCounts;
}

type Sorted = { key: Prisma.Sql; type: "string" | "number"; cast: (v: string | number) => Prisma.Sql };
const EPOCH = "1970-01-01T00:00:00.000Z";
const asTime = (v: string | number) => Prisma.sql`${new Date(Number(v)).toISOString()}::timestamp`;
const SORT: Record<(typeof IMAGE_SORTS)[number], Sorted> = {
  repository: { key: Prisma.sql`ref`, type: "string", cast: (v) => Prisma.sql`${String(v)}::text` },
  critical: { key: Prisma.sql`crit`, type: "number", cast: (v) => Prisma.sql`${Number(v)}::int` },
  findings: { key: Prisma.sql`total`, type: "number", cast: (v) => Prisma.sql`${Number(v)}::int` },
  lastSeen: { key: Prisma.sql`"lastSeen"`, type: "number", cast: asTime },
  lastScanned: { key: Prisma.sql`scanned`, type: "number", cast: asTime },
};

interface Raw extends Omit<ImageRow, "workloads" | "openFindings" | "running"> {
  ref: string;
  crit: number;
  total: number;
  scanned: Date;
}

/**
 * Images of the organization (any member, or a `read` token). Per-image counts come from FindingTally
 * (one aggregate over the organization's tally rows) so sorting by critical findings is one statement.
 */
export async function listImages(db: Db, ctx: OrgContext, input: unknown = {}): Promise<Page<ImageRow>> {
  requireReader(ctx);
  const parsed = listImagesSchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const dir = q.dir ?? (q.sort === "repository" ? "asc" : "desc");
  const sort = SORT[q.sort];
  const orgId = ctx.orgId;
  const imageWhere: Prisma.Sql[] = [Prisma.sql`i."orgId" = ${orgId}`];
  if (q.registry) imageWhere.push(Prisma.sql`i."registryHost" = ${q.registry}`);
  if (q.q) {
    const like = likePattern(q.q);
    imageWhere.push(Prisma.sql`(i."registryHost" || '/' || i.repository ILIKE ${like} OR EXISTS (SELECT 1 FROM unnest(i.tags) tag WHERE tag ILIKE ${like}))`);
  }
  if (q.signature) imageWhere.push(q.signature === "unknown" ? Prisma.sql`i."signatureVerified" IS NULL` : Prisma.sql`i."signatureVerified" = ${q.signature === "verified"}`);
  if (q.malware) imageWhere.push(q.malware === "unknown" ? Prisma.sql`i."malwareVerdict" IS NULL` : Prisma.sql`i."malwareVerdict" = ${q.malware}`);
  const outer: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (q.fixableCritical !== undefined) outer.push(q.fixableCritical ? Prisma.sql`fixcrit > 0` : Prisma.sql`fixcrit = 0`);
  if (q.running !== undefined) outer.push(q.running ? Prisma.sql`running` : Prisma.sql`NOT running`);
  if (q.cursor) {
    const [v, id] = decodeCursor(q.cursor, sort.type);
    outer.push(dir === "asc" ? Prisma.sql`(${sort.key}, id) > (${sort.cast(v)}, ${id}::text)` : Prisma.sql`(${sort.key}, id) < (${sort.cast(v)}, ${id}::text)`);
  }
  const order = dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  // Hashing every container of the organization only pays off when the list filters on it; otherwise
  // the page's rows are looked up below.
  const runningExpr =
    q.running === undefined ? Prisma.sql`NULL::boolean` : Prisma.sql`EXISTS (SELECT 1 FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId" WHERE c."imageId" = i.id AND NOT w.deleted)`;
  const rows = await plainSql(db).$queryRaw<Raw[]>`
    WITH t AS (
      SELECT "imageId", sum(n) FILTER (WHERE severity = 'CRITICAL') AS crit, sum(n) AS total, sum(n) FILTER (WHERE severity = 'CRITICAL' AND fixable) AS fixcrit
      FROM "FindingTally" WHERE "orgId" = ${orgId} AND "imageId" <> '' AND n > 0 GROUP BY 1
    ), base AS (
      SELECT i.id, i.digest, i."registryHost", i.repository, i.tags, i."osName", i."signatureVerified", i."malwareVerdict", i."lastSeen", i."lastScannedAt",
        i."registryHost" || '/' || i.repository AS ref, coalesce(i."lastScannedAt", ${EPOCH}::timestamp) AS scanned,
        coalesce(t.crit, 0)::int AS crit, coalesce(t.total, 0)::int AS total, coalesce(t.fixcrit, 0)::int AS "fixableCritical", coalesce(t.fixcrit, 0) AS fixcrit,
        ${runningExpr} AS running
      FROM "Image" i LEFT JOIN t ON t."imageId" = i.id
      WHERE ${Prisma.join(imageWhere, " AND ")}
    )
    SELECT * FROM base WHERE ${Prisma.join(outer, " AND ")}
    ORDER BY ${sort.key} ${order}, id ${order}
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const ids = page.map((r) => r.id);
  const [counts, runs] = await Promise.all([
    imageCounts(plainSql(db), orgId, ids),
    ids.length === 0
      ? Promise.resolve([] as { imageId: string; n: number }[])
      : plainSql(db).$queryRaw<{ imageId: string; n: number }[]>`
          SELECT c."imageId", count(DISTINCT c."workloadId")::int AS n FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId"
          WHERE c."orgId" = ${orgId} AND c."imageId" = ANY(${ids}::text[]) AND NOT w.deleted GROUP BY 1`,
  ]);
  const runsBy = new Map(runs.map((r) => [r.imageId, r.n]));
  const last = page.at(-1);
  const keyOf = (r: Raw): string | number => (q.sort === "repository" ? r.ref : q.sort === "critical" ? r.crit : q.sort === "findings" ? r.total : q.sort === "lastSeen" ? r.lastSeen.getTime() : r.scanned.getTime());
  return {
    items: page.map((r) => ({
      id: r.id,
      digest: r.digest,
      registryHost: r.registryHost,
      repository: r.repository,
      tags: r.tags,
      osName: r.osName,
      signatureVerified: r.signatureVerified,
      malwareVerdict: r.malwareVerdict,
      lastSeen: r.lastSeen,
      lastScannedAt: r.lastScannedAt,
      running: (runsBy.get(r.id) ?? 0) > 0,
      workloads: runsBy.get(r.id) ?? 0,
      fixableCritical: r.fixableCritical,
      openFindings: counts.get(r.id)!,
    })),
    nextCursor: last && rows.length > q.limit ? encodeCursor(keyOf(last), last.id) : null,
  };
}
