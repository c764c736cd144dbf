import { type Db, type EnforcementMode, type Prisma, type Severity } from "@bulwark/db";
import { BUILTIN_POLICIES, builtinDefinition } from "@bulwark/policy";
import { writeSystemAudit } from "../audit.ts";

// Every organization gets one row per built-in, which it may then tune (enforcement, scope,
// exclusions, enabled). Rows are created lazily by the policy reads, so organizations that existed
// before a built-in shipped get it on their next read; a row that exists is never touched again, so an
// organization's changes survive upgrades.

export interface EnsuredBuiltins {
  /** Keys of the built-ins created by this call (empty when the organization had them all). */
  created: string[];
}

export async function ensureBuiltinPolicies(db: Db, orgId: string): Promise<EnsuredBuiltins> {
  const keys = BUILTIN_POLICIES.map((b) => b.id);
  const existing = await db.policy.findMany({ where: { orgId, key: { in: keys } }, select: { key: true } });
  if (existing.length === keys.length) return { created: [] };
  const have = new Set(existing.map((p) => p.key));
  const missing = BUILTIN_POLICIES.filter((b) => !have.has(b.id));
  return db.$transaction(async (tx) => {
    // skipDuplicates: two first reads of a new organization may race; each row is inserted once.
    await tx.policy.createMany({
      data: missing.map((b) => ({
        orgId,
        key: b.id,
        name: b.name,
        description: b.description,
        category: b.category,
        severity: b.severity as Severity,
        enforcement: b.enforcement as EnforcementMode,
        builtin: true,
        enabled: true,
        currentVersion: 1,
        definition: builtinDefinition(b) as unknown as Prisma.InputJsonValue,
      })),
      skipDuplicates: true,
    });
    const rows = await tx.policy.findMany({ where: { orgId, key: { in: missing.map((b) => b.id) }, versions: { none: {} } }, select: { id: true, key: true, definition: true } });
    if (rows.length === 0) return { created: [] };
    await tx.policyVersion.createMany({
      data: rows.map((r) => ({ orgId, policyId: r.id, version: 1, definition: r.definition as Prisma.InputJsonValue, message: "Built-in", authorId: null })),
      skipDuplicates: true,
    });
    const created = rows.map((r) => r.key).sort();
    await writeSystemAudit(tx, orgId, "system", { action: "policy.builtins_added", targetType: "policy", metadata: { keys: created } });
    return { created };
  });
}
