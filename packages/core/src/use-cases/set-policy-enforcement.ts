import { type Db } from "@bulwark/db";
import { ENFORCEMENT_MODES } from "@bulwark/policy";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { applyPolicyChange } from "../policies/apply.ts";
import { definitionOf, type PolicyChange, requirePolicyAdmin } from "../policies/store.ts";

const modeSchema = z.enum(ENFORCEMENT_MODES);

/** Sets AUDIT, WARN or ENFORCE (ADMIN+), as a new version. */
export async function setPolicyEnforcement(db: Db, ctx: OrgContext, key: string, mode: unknown, message?: string): Promise<PolicyChange> {
  requirePolicyAdmin(ctx);
  const parsed = modeSchema.safeParse(mode);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", "The enforcement mode is invalid", { fields: [{ path: "enforcement", message: `must be one of ${ENFORCEMENT_MODES.join(", ")}` }] });
  const enforcement = parsed.data;
  return applyPolicyChange(db, ctx, key, (row) => ({ ...definitionOf(row), enforcement }), {
    action: "policy.enforcement_changed",
    message: message ?? `Enforcement ${enforcement}`,
    audit: { enforcement },
  });
}
