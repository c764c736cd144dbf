import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { applyPolicyChange } from "../policies/apply.ts";
import { type PolicyChange, policyMessageSchema, requirePolicyAdmin } from "../policies/store.ts";

export const revertPolicySchema = z.object({
  version: z.number().int().min(1),
  message: policyMessageSchema,
  expectedVersion: z.number().int().min(1).optional(),
});

/**
 * Makes an old version current again by saving its definition as a new version (ADMIN+): history only
 * grows. Reverting to a definition equal to the current one changes nothing.
 */
export async function revertPolicy(db: Db, ctx: OrgContext, key: string, input: unknown): Promise<PolicyChange> {
  requirePolicyAdmin(ctx);
  const parsed = revertPolicySchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { version, message, expectedVersion } = parsed.data;
  return applyPolicyChange(
    db,
    ctx,
    key,
    async (row, tx) => {
      const old = await tx.policyVersion.findFirst({ where: { orgId: ctx.orgId, policyId: row.id, version }, select: { definition: true } });
      if (!old) throw AppError.notFound("Policy version");
      return old.definition;
    },
    { action: "policy.reverted", message: message ?? `Reverted to version ${version}`, expectedVersion, audit: { revertedTo: version } },
  );
}
