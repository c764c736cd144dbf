import { type Db, type Exception, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { type ExceptionFlag, type ExceptionView, toViews } from "../exceptions/view.ts";

export const listExceptionsSchema = z.object({
  status: z.enum(["REQUESTED", "APPROVED", "REJECTED", "REVOKED"]).optional(),
  kind: z.enum(["RISK_ACCEPTED", "FALSE_POSITIVE"]).optional(),
  flag: z.enum(["unused", "broad"]).optional().meta({ description: "unused: matches no current finding; broad: matches more than 100" }),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export type ListExceptionsFilters = z.input<typeof listExceptionsSchema>;

const FLAG: Record<"unused" | "broad", ExceptionFlag> = { unused: "matches-nothing", broad: "matches-over-100" };
/** A flag filter is decided per row after counting: one request examines at most this many rows. */
const MAX_SCANNED = 500;

/**
 * Exceptions of the organization, newest first (any member, or a "read" token), each with its match
 * count (one COUNT per row) and flags. With `flag`, rows are counted page by page until `limit` match
 * or MAX_SCANNED were examined; nextCursor then continues where the scan stopped.
 */
export async function listExceptions(db: Db, ctx: OrgContext, filters: unknown = {}): Promise<{ items: ExceptionView[]; nextCursor: string | null }> {
  requireReader(ctx);
  const parsed = listExceptionsSchema.safeParse(filters ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { status, kind, flag, limit } = parsed.data;
  let cursor = parsed.data.cursor;
  if (cursor && !(await db.exception.findFirst({ where: { id: cursor, orgId: ctx.orgId }, select: { id: true } }))) {
    throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
  }
  const where: Prisma.ExceptionWhereInput = { orgId: ctx.orgId, ...(status ? { status } : {}), ...(kind ? { kind } : {}) };
  const items: ExceptionView[] = [];
  let scanned = 0;
  for (;;) {
    const rows: Exception[] = await db.exception.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    const page = rows.slice(0, limit);
    const views = await toViews(db, ctx.orgId, page);
    for (const [i, view] of views.entries()) {
      scanned++;
      cursor = page[i]!.id;
      if (!flag || view.flags.includes(FLAG[flag])) items.push(view);
      if (items.length === limit) return { items, nextCursor: i < page.length - 1 || rows.length > limit ? cursor : null };
    }
    if (rows.length <= limit) return { items, nextCursor: null };
    if (scanned >= MAX_SCANNED) return { items, nextCursor: cursor ?? null };
  }
}
