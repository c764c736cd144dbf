import { type Db } from "@bulwark/db";
import { type PolicyDefinition } from "@bulwark/policy";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { findPolicy, requirePolicyReader } from "../policies/store.ts";
import { type PolicyVersionSummary } from "./list-policy-versions.ts";

export const policyVersionNumberSchema = z.coerce.number().int().min(1).max(1_000_000_000);

export interface PolicyVersionDetail extends PolicyVersionSummary {
  key: string;
  definition: PolicyDefinition;
}

/** One version of a policy with its full definition. Unknown versions and other organizations' policies are 404s. */
export async function getPolicyVersion(db: Db, ctx: OrgContext, key: string, version: unknown): Promise<PolicyVersionDetail> {
  requirePolicyReader(ctx);
  const n = policyVersionNumberSchema.safeParse(version);
  if (!n.success) throw new AppError("VALIDATION_FAILED", "The version is invalid", { fields: [{ path: "version", message: "must be a positive integer" }] });
  const policy = await findPolicy(db, ctx, key);
  const row = await db.policyVersion.findFirst({ where: { orgId: ctx.orgId, policyId: policy.id, version: n.data } });
  if (!row) throw AppError.notFound("Policy version");
  const author = row.authorId ? await db.user.findUnique({ where: { id: row.authorId }, select: { email: true } }) : null;
  return {
    key: policy.key,
    version: row.version,
    message: row.message,
    authorId: row.authorId,
    authorEmail: author?.email ?? null,
    createdAt: row.createdAt,
    definition: row.definition as unknown as PolicyDefinition,
  };
}
