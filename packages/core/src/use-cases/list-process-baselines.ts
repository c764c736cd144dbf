import { type Db, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { BASELINE_SELECT, type BaselineView, toBaselineViews } from "../runtime/baseline-view.ts";

export const listProcessBaselinesSchema = z.strictObject({
  workloadId: z.string().min(1).max(100).optional(),
  status: z.enum(["LEARNING", "LOCKED"]).optional(),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Part of the workload, namespace, cluster or container name, or an exact process" }),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ListProcessBaselinesFilters = z.input<typeof listProcessBaselinesSchema>;

/** Process baselines of the organization, most recently changed first (any member, or a "read" token). */
export async function listProcessBaselines(db: Db, ctx: OrgContext, filters: unknown = {}): Promise<{ items: BaselineView[]; nextCursor: string | null }> {
  requireReader(ctx);
  const parsed = listProcessBaselinesSchema.safeParse(filters ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { workloadId, status, q, cursor, limit } = parsed.data;
  if (cursor && !(await db.processBaseline.findFirst({ where: { id: cursor, orgId: ctx.orgId }, select: { id: true } }))) {
    throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
  }
  const contains = (v: string) => ({ contains: v, mode: "insensitive" as const });
  const where: Prisma.ProcessBaselineWhereInput = {
    orgId: ctx.orgId,
    ...(workloadId ? { workloadId } : {}),
    ...(status ? { status } : {}),
    ...(q
      ? {
          OR: [
            { container: contains(q) },
            { processes: { has: q } },
            { workload: { is: { name: contains(q) } } },
            { workload: { is: { namespace: { is: { name: contains(q) } } } } },
            { workload: { is: { cluster: { is: { name: contains(q) } } } } },
          ],
        }
      : {}),
  };
  const rows = await db.processBaseline.findMany({
    where,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: BASELINE_SELECT,
  });
  const page = rows.slice(0, limit);
  return { items: await toBaselineViews(db, ctx.orgId, page), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
