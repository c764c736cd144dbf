import { type Db, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { ACTION_STATUSES, type ResponseActionView, toViews, VIEW_SELECT } from "../response/view.ts";

// The organization's response actions, newest first (members; tokens with `read`). The cursor is the
// last row's id; the next page continues strictly after that row's (createdAt, id).

export const listResponseActionsSchema = z.object({
  status: z.enum(ACTION_STATUSES).optional(),
  cluster: z.string().min(1).max(253).optional().meta({ description: "Cluster name" }),
  policy: z.string().min(1).max(100).optional().meta({ description: "Key of the policy that asked for the action" }),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ListResponseActionsQuery = z.input<typeof listResponseActionsSchema>;

export async function listResponseActions(db: Db, ctx: OrgContext, input: unknown): Promise<{ actions: ResponseActionView[]; nextCursor: string | null }> {
  requireReader(ctx);
  const parsed = listResponseActionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const where: Prisma.EnforcementActionWhereInput = { orgId: ctx.orgId };
  if (q.status !== undefined) where.status = q.status;
  if (q.cluster !== undefined) where.cluster = { name: q.cluster, orgId: ctx.orgId };
  if (q.policy !== undefined) where.policyKey = q.policy;
  if (q.cursor !== undefined) {
    // Looked up within the organization: another organization's id is just an unknown cursor.
    const at = await db.enforcementAction.findFirst({ where: { id: q.cursor, orgId: ctx.orgId }, select: { id: true, createdAt: true } });
    if (!at) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
    where.OR = [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }];
  }
  const rows = await db.enforcementAction.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1, select: VIEW_SELECT });
  const page = rows.slice(0, q.limit);
  return { actions: await toViews(db, ctx.orgId, page), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}
