import { type Db } from "@bulwark/db";
import { type OrgContext } from "../context.ts";
import { applyPolicyChange } from "../policies/apply.ts";
import { definitionOf, type PolicyChange } from "../policies/store.ts";

/** Turns a policy on or off (ADMIN+), as a new version; a disabled policy is stored and compiled but never evaluated. */
export async function setPolicyEnabled(db: Db, ctx: OrgContext, key: string, enabled: boolean, message?: string): Promise<PolicyChange> {
  return applyPolicyChange(
    db,
    ctx,
    key,
    (row) => {
      const { disabled: _was, ...rest } = definitionOf(row);
      return enabled ? rest : { ...rest, disabled: true };
    },
    { action: enabled ? "policy.enabled" : "policy.disabled", message: message ?? (enabled ? "Enabled" : "Disabled") },
  );
}
