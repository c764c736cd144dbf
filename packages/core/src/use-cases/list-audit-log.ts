import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";

export const listAuditLogSchema = z.object({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  action: z.string().max(100).optional(),
});

export async function listAuditLog(db: Db, ctx: OrgContext, input: unknown) {
  requireRole(ctx, "ADMIN");
  const parsed = listAuditLogSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { cursor, limit, action } = parsed.data;
  const rows = await db.auditLog.findMany({
    where: { orgId: ctx.orgId, ...(action ? { action: { startsWith: action } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  return { entries: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
