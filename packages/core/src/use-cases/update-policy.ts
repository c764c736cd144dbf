import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { applyPolicyChange } from "../policies/apply.ts";
import { type PolicyChange, policyMessageSchema, requirePolicyAdmin } from "../policies/store.ts";

export const updatePolicySchema = z.object({
  definition: z.looseObject({}).meta({ description: "The whole new definition; its id must be the policy's key" }),
  message: policyMessageSchema,
  expectedVersion: z.number().int().min(1).optional().meta({ description: "The version the edit started from; another version is a 409" }),
});

/**
 * Saves a new definition as the next version (ADMIN+). Custom policies may change anything but their
 * key; built-ins only enforcement, disabled, scope and exclusions (their check and metadata are
 * Bulwark's — clone one to edit the rest). Saving the current definition again changes nothing.
 */
export async function updatePolicy(db: Db, ctx: OrgContext, key: string, input: unknown): Promise<PolicyChange> {
  requirePolicyAdmin(ctx);
  const parsed = updatePolicySchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { definition, message, expectedVersion } = parsed.data;
  return applyPolicyChange(db, ctx, key, () => definition, { action: "policy.updated", message, expectedVersion });
}
