import { type Db } from "@bulwark/db";
import { type OrgContext } from "../context.ts";
import { findPolicy, type PolicyView, requirePolicyReader, toView } from "../policies/store.ts";
import { ensureBuiltinPolicies } from "./ensure-builtin-policies.ts";
import { listVersionRows, type PolicyVersionSummary } from "./list-policy-versions.ts";

export interface PolicyDetail extends PolicyView {
  versions: PolicyVersionSummary[];
}

/** One policy with its definition and version history (newest first). Another organization's key is a 404. */
export async function getPolicy(db: Db, ctx: OrgContext, key: string): Promise<PolicyDetail> {
  requirePolicyReader(ctx);
  await ensureBuiltinPolicies(db, ctx.orgId);
  const row = await findPolicy(db, ctx, key);
  return { ...toView(row), versions: await listVersionRows(db, ctx.orgId, row.id) };
}
