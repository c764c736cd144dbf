import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { assertFreeKey, columnsOf, compileDefinition, type PolicyView, policyMessageSchema, requirePolicyAdmin, toView } from "../policies/store.ts";

/** `definition` is a policy definition as documented in docs/policies.md; it is validated by compilePolicy. */
export const createPolicySchema = z.object({
  definition: z.looseObject({}).meta({ description: "A policy definition (docs/policies.md): id, name, severity, rule, scope…" }),
  message: policyMessageSchema,
});

/** A custom policy (ADMIN+): validated and compiled first, stored with its version 1, audited. */
export async function createPolicy(db: Db, ctx: OrgContext, input: unknown): Promise<PolicyView> {
  const author = requirePolicyAdmin(ctx);
  const parsed = createPolicySchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const compiled = compileDefinition(parsed.data.definition);
  assertFreeKey(compiled.id);
  const message = parsed.data.message ?? "Created";
  try {
    return await db.$transaction(async (tx) => {
      const cols = columnsOf(compiled);
      const row = await tx.policy.create({ data: { orgId: ctx.orgId, key: compiled.id, builtin: false, currentVersion: 1, ...cols } });
      await tx.policyVersion.create({ data: { orgId: ctx.orgId, policyId: row.id, version: 1, definition: cols.definition, message, authorId: author.userId } });
      await writeAudit(tx, ctx, { action: "policy.created", targetType: "policy", targetId: row.id, metadata: { key: row.key, version: 1, message, rule: compiled.ruleKind } });
      return toView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A policy with the key '${compiled.id}' already exists`);
    throw err;
  }
}
