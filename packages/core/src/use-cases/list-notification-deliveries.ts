import { type Db, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { DELIVERY_SELECT, type NotificationDeliveryView, toDeliveryView } from "../notifications/delivery-view.ts";

// The delivery log, newest first (ANALYST+). The cursor is the last row's id; the next page continues
// strictly after that row's (createdAt, id).

export const DELIVERY_STATUSES = ["PENDING", "DELIVERED", "RETRYING", "DEAD"] as const;

export const listNotificationDeliveriesSchema = z.object({
  channel: z.string().min(1).max(100).optional().meta({ description: "Channel id" }),
  status: z.enum(DELIVERY_STATUSES).optional(),
  finding: z.string().min(1).max(100).optional().meta({ description: "Finding id" }),
  kind: z.enum(["alert", "test"]).optional(),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listNotificationDeliveries(db: Db, ctx: OrgContext, input: unknown): Promise<{ items: NotificationDeliveryView[]; nextCursor: string | null }> {
  requireRole(ctx, "ANALYST");
  const parsed = listNotificationDeliveriesSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const where: Prisma.NotificationDeliveryWhereInput = { orgId: ctx.orgId };
  if (q.channel !== undefined) where.channelId = q.channel;
  if (q.status !== undefined) where.status = q.status;
  if (q.finding !== undefined) where.findingId = q.finding;
  if (q.kind !== undefined) where.kind = q.kind;
  if (q.cursor !== undefined) {
    // Looked up within the organization: another organization's id is just an unknown cursor.
    const at = await db.notificationDelivery.findFirst({ where: { id: q.cursor, orgId: ctx.orgId }, select: { id: true, createdAt: true } });
    if (!at) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
    where.AND = [{ OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] }];
  }
  const rows = await db.notificationDelivery.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1, select: DELIVERY_SELECT });
  const page = rows.slice(0, q.limit);
  return { items: page.map(toDeliveryView), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}
