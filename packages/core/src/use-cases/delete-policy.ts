import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { findPolicy, requirePolicyAdmin } from "../policies/store.ts";

/** Deletes a custom policy and its versions (ADMIN+); the audit row keeps its key and last version. */
export async function deletePolicy(db: Db, ctx: OrgContext, key: string): Promise<{ key: string; deleted: true }> {
  requirePolicyAdmin(ctx);
  return db.$transaction(async (tx) => {
    const row = await findPolicy(tx, ctx, key);
    if (row.builtin) throw new AppError("CONFLICT", "Built-in policies cannot be deleted; disable it instead");
    await tx.policy.delete({ where: { id: row.id } });
    await writeAudit(tx, ctx, {
      action: "policy.deleted",
      targetType: "policy",
      targetId: row.id,
      metadata: { key: row.key, version: row.currentVersion, name: row.name },
    });
    return { key: row.key, deleted: true as const };
  });
}
