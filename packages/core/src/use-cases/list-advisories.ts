import { type Db, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

// The advisory store is instance-wide public data (OSV records); any member may browse it. Matches in
// the caller's organization are counted per advisory so the list says what concerns them.

export const listAdvisoriesSchema = z.object({
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Advisory id, alias (CVE) or package name" }),
  ecosystem: z.string().min(1).max(100).optional(),
  severity: z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]).optional(),
  withdrawn: z.enum(["true", "false"]).optional(),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const SELECT = {
  id: true,
  externalId: true,
  aliases: true,
  source: true,
  summary: true,
  severity: true,
  cvssScore: true,
  knownExploited: true,
  publicExploit: true,
  publishedAt: true,
  modifiedAt: true,
  withdrawnAt: true,
} as const satisfies Prisma.AdvisorySelect;

export type AdvisorySummary = Prisma.AdvisoryGetPayload<{ select: typeof SELECT }> & { openFindings: number };

export async function listAdvisories(db: Db, ctx: OrgContext, input: unknown): Promise<{ items: AdvisorySummary[]; nextCursor: string | null }> {
  requireReader(ctx);
  const parsed = listAdvisoriesSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const and: Prisma.AdvisoryWhereInput[] = [];
  if (q.q) and.push({ OR: [{ externalId: q.q.toUpperCase() }, { externalId: q.q }, { aliases: { has: q.q.toUpperCase() } }, { packages: { some: { name: q.q } } }] });
  if (q.ecosystem) and.push({ packages: { some: { ecosystem: q.ecosystem } } });
  if (q.severity) and.push({ severity: q.severity });
  if (q.withdrawn) and.push({ withdrawnAt: q.withdrawn === "true" ? { not: null } : null });
  const rows = await db.advisory.findMany({
    where: { AND: and },
    select: SELECT,
    orderBy: [{ modifiedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, q.limit);
  const ids = page.flatMap((a) => [a.externalId, ...a.aliases]);
  const counts = ids.length
    ? await db.finding.groupBy({ by: ["ruleId"], where: { orgId: ctx.orgId, type: "VULNERABILITY", status: "OPEN", ruleId: { in: ids } }, _count: { _all: true } })
    : [];
  const byRule = new Map(counts.map((c) => [c.ruleId, c._count._all]));
  return {
    items: page.map((a) => ({ ...a, openFindings: [a.externalId, ...a.aliases].reduce((s, id) => s + (byRule.get(id) ?? 0), 0) })),
    nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** One advisory by its id (OSV id or an alias such as a CVE), with its affected packages. */
export async function getAdvisory(db: Db, ctx: OrgContext, id: string) {
  requireReader(ctx);
  const advisory =
    (await db.advisory.findUnique({ where: { externalId: id }, include: { packages: { orderBy: [{ ecosystem: "asc" }, { name: "asc" }] } } })) ??
    (await db.advisory.findFirst({ where: { aliases: { has: id } }, include: { packages: { orderBy: [{ ecosystem: "asc" }, { name: "asc" }] } } }));
  if (!advisory) throw AppError.notFound("Advisory");
  const openFindings = await db.finding.count({ where: { orgId: ctx.orgId, type: "VULNERABILITY", status: "OPEN", ruleId: { in: [advisory.externalId, ...advisory.aliases] } } });
  return { ...advisory, openFindings };
}
