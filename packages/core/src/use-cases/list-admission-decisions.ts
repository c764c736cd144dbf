import { type Db, Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

// The organization's admission decisions, newest first, for the dashboard and API readers. The
// cursor is the last row's id; the page continues strictly after that row's (decidedAt, id).

const bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const listAdmissionDecisionsSchema = z.object({
  cluster: z.string().min(1).max(253).optional().meta({ description: "Cluster name" }),
  namespace: z.string().max(253).optional(),
  allowed: bool.optional().meta({ description: "true or false" }),
  policy: z.string().min(1).max(100).optional().meta({ description: "Only decisions in which this policy failed" }),
  warned: bool.optional().meta({ description: "true: allowed with warnings only" }),
  breakGlass: bool.optional().meta({ description: "true: only decisions a break-glass annotation let through" }),
  since: z.iso.datetime({ offset: true }).optional().meta({ description: "Decided at or after (ISO 8601)" }),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const SELECT = {
  id: true,
  uid: true,
  namespace: true,
  kind: true,
  name: true,
  operation: true,
  allowed: true,
  warned: true,
  policies: true,
  message: true,
  userInfo: true,
  breakGlass: true,
  decidedAt: true,
  receivedAt: true,
  cluster: { select: { id: true, name: true } },
  enforcementPoint: { select: { id: true, name: true } },
} as const satisfies Prisma.AdmissionDecisionSelect;

export type AdmissionDecisionView = Prisma.AdmissionDecisionGetPayload<{ select: typeof SELECT }>;

export async function listAdmissionDecisions(db: Db, ctx: OrgContext, input: unknown): Promise<{ decisions: AdmissionDecisionView[]; nextCursor: string | null }> {
  requireReader(ctx);
  const parsed = listAdmissionDecisionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const where: Prisma.AdmissionDecisionWhereInput = { orgId: ctx.orgId };
  const and: Prisma.AdmissionDecisionWhereInput[] = [];
  if (q.cluster !== undefined) where.cluster = { name: q.cluster, orgId: ctx.orgId };
  if (q.namespace !== undefined) where.namespace = q.namespace;
  if (q.allowed !== undefined) where.allowed = q.allowed;
  if (q.policy !== undefined) where.policies = { has: q.policy };
  if (q.warned !== undefined) where.warned = q.warned;
  if (q.breakGlass !== undefined) where.breakGlass = q.breakGlass ? { not: Prisma.AnyNull } : { equals: Prisma.AnyNull };
  if (q.since !== undefined) where.decidedAt = { gte: new Date(q.since) };
  if (q.cursor !== undefined) {
    // Looked up within the organization: another organization's id is just an unknown cursor.
    const at = await db.admissionDecision.findFirst({ where: { id: q.cursor, orgId: ctx.orgId }, select: { id: true, decidedAt: true } });
    if (!at) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
    and.push({ OR: [{ decidedAt: { lt: at.decidedAt } }, { decidedAt: at.decidedAt, id: { lt: at.id } }] });
  }
  const rows = await db.admissionDecision.findMany({
    where: and.length ? { ...where, AND: and } : where,
    orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: SELECT,
  });
  const page = rows.slice(0, q.limit);
  return { decisions: page, nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}
