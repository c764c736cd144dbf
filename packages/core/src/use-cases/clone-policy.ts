import { type Db } from "@bulwark/db";
import { POLICY_ID } from "@bulwark/policy";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { assertFreeKey, columnsOf, compileDefinition, definitionOf, findPolicy, type PolicyView, policyMessageSchema, requirePolicyAdmin, toView } from "../policies/store.ts";
import { ensureBuiltinPolicies } from "./ensure-builtin-policies.ts";

export const clonePolicySchema = z.object({
  newKey: z.string().regex(POLICY_ID, "must be lower-kebab-case: a-z, 0-9 and '-', at most 100 characters"),
  name: z.string().trim().min(1).max(200).optional(),
  message: policyMessageSchema,
});

/**
 * Copies a policy under a new key as a custom policy (ADMIN+), keeping its rule, metadata, scope,
 * enforcement and enabled state. A built-in's clone keeps the native check (`rule: {type: "builtin",
 * id}`) — built-in checks are TypeScript, not text that could be edited — but as a custom policy
 * everything else (name, severity, stages, description…) is the organization's, and its rule may later
 * be replaced by criteria or CEL. The clone starts at version 1; the source is not changed.
 */
export async function clonePolicy(db: Db, ctx: OrgContext, key: string, input: unknown): Promise<PolicyView> {
  const author = requirePolicyAdmin(ctx);
  const parsed = clonePolicySchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { newKey, name } = parsed.data;
  assertFreeKey(newKey);
  await ensureBuiltinPolicies(db, ctx.orgId);
  try {
    return await db.$transaction(async (tx) => {
      const source = await findPolicy(tx, ctx, key);
      const def = definitionOf(source);
      const compiled = compileDefinition({ ...def, id: newKey, name: name ?? `${source.name} (copy)` });
      const message = parsed.data.message ?? `Cloned from ${source.key} version ${source.currentVersion}`;
      const cols = columnsOf(compiled);
      const row = await tx.policy.create({ data: { orgId: ctx.orgId, key: newKey, builtin: false, currentVersion: 1, ...cols } });
      await tx.policyVersion.create({ data: { orgId: ctx.orgId, policyId: row.id, version: 1, definition: cols.definition, message, authorId: author.userId } });
      await writeAudit(tx, ctx, {
        action: "policy.cloned",
        targetType: "policy",
        targetId: row.id,
        metadata: { key: newKey, from: source.key, fromVersion: source.currentVersion, message },
      });
      return toView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A policy with the key '${newKey}' already exists`);
    throw err;
  }
}
