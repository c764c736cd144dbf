import { type Db, type Prisma } from "@bulwark/db";
import { ENFORCEMENT_MODES, SEVERITIES, STAGES } from "@bulwark/policy";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { type PolicySummary, requirePolicyReader, SEVERITY_RANK, toSummary } from "../policies/store.ts";
import { ensureBuiltinPolicies } from "./ensure-builtin-policies.ts";

// Query strings carry booleans as text; "false" must mean false (z.coerce.boolean would say true).
const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const listPoliciesSchema = z.object({
  category: z.string().trim().min(1).max(100).optional(),
  severity: z.enum(SEVERITIES).optional(),
  stage: z.enum(STAGES).optional(),
  enforcement: z.enum(ENFORCEMENT_MODES).optional(),
  enabled: bool.optional(),
  builtin: bool.optional(),
  q: z.string().trim().max(200).optional(),
});

export type ListPoliciesFilters = z.input<typeof listPoliciesSchema>;

/** The organization's policies, most severe first, then by key. Any member; tokens with read or policy:read. */
export async function listPolicies(db: Db, ctx: OrgContext, filters: unknown = {}): Promise<{ policies: PolicySummary[] }> {
  requirePolicyReader(ctx);
  const parsed = listPoliciesSchema.safeParse(filters ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const f = parsed.data;
  await ensureBuiltinPolicies(db, ctx.orgId);
  const where: Prisma.PolicyWhereInput = {
    orgId: ctx.orgId,
    ...(f.category ? { category: { equals: f.category, mode: "insensitive" } } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.enforcement ? { enforcement: f.enforcement } : {}),
    ...(f.enabled !== undefined ? { enabled: f.enabled } : {}),
    ...(f.builtin !== undefined ? { builtin: f.builtin } : {}),
    ...(f.q ? { OR: [{ key: { contains: f.q, mode: "insensitive" } }, { name: { contains: f.q, mode: "insensitive" } }] } : {}),
  };
  const rows = await db.policy.findMany({ where });
  // Stages live in the definition (absent = every stage); an organization has tens of policies, not thousands.
  const policies = rows
    .map(toSummary)
    .filter((p) => !f.stage || p.stages.includes(f.stage))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { policies };
}
