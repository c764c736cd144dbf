import { type DbTx, type EnforcementMode, type Policy, type Prisma, type Severity } from "@bulwark/db";
import { BUILTIN_POLICY_IDS, canonicalJson, compilePolicy, type CompiledPolicy, type PolicyDefinition, policyDefinitionSchema } from "@bulwark/policy";
import { z } from "zod";
import { type OrgContext, requireRole, type UserActor } from "../context.ts";
import { AppError, type FieldError } from "../errors.ts";

// What the policy use cases share: authorization, the stored definition's canonical form, the columns
// derived from it, and the write of a new version. A policy's definition (the JSON an admin writes,
// as @bulwark/policy validates it) is the source of truth; name, severity, enforcement, enabled… are
// copies of it in columns so lists can filter and sort in SQL.

export const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTIN_POLICY_IDS);

/** Keys the API and the UI use as path segments next to policy keys (`/policies/new`, `/api/v1/policies/preview`). */
export const RESERVED_POLICY_KEYS: ReadonlySet<string> = new Set(["new", "preview", "import", "export"]);

/** Refuses keys no custom policy may take: a built-in's, or a reserved path segment. */
export function assertFreeKey(key: string): void {
  if (BUILTIN_IDS.has(key)) throw new AppError("CONFLICT", `'${key}' is a built-in policy's key; change the built-in or clone it under another key`);
  if (RESERVED_POLICY_KEYS.has(key)) throw new AppError("CONFLICT", `'${key}' is reserved; choose another key`);
}
export const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFO: 4 };

export const policyMessageSchema = z.string().trim().min(1).max(500).optional();

/** Any member; tokens need `read` or `policy:read` (enforcement points and bundle fetchers hold the latter). */
export function requirePolicyReader(ctx: OrgContext): void {
  if (ctx.actor.type === "token" && !ctx.actor.scopes.includes("read") && !ctx.actor.scopes.includes("policy:read")) {
    throw AppError.forbidden('This token lacks the "read" or "policy:read" scope');
  }
}

export function requirePolicyAdmin(ctx: OrgContext): UserActor {
  return requireRole(ctx, "ADMIN");
}

/** Equal as JSON whatever the key order; an absent value (undefined) equals only another absent one. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

function location(e: { line?: number; column?: number }): string {
  return e.line !== undefined && e.column !== undefined ? ` (line ${e.line}, column ${e.column})` : "";
}

/** Validates and compiles a definition; errors name their path under `definition` with line/column for rule text. */
export function compileDefinition(input: unknown): CompiledPolicy {
  const result = compilePolicy(input);
  if (result.ok) return result.policy;
  const fields: FieldError[] = result.errors.map((e) => ({
    path: e.path === "" ? "definition" : e.path.startsWith("[") ? `definition${e.path}` : `definition.${e.path}`,
    message: `${e.message}${location(e)}`,
  }));
  throw new AppError("VALIDATION_FAILED", "The policy definition is invalid", { fields });
}

/** Validates a definition's shape without compiling its rule; errors exactly as compileDefinition's. */
export function parseDefinition(input: unknown): PolicyDefinition {
  const parsed = policyDefinitionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  compileDefinition(input);
  throw new AppError("VALIDATION_FAILED", "The policy definition is invalid");
}

/**
 * The definition as stored: validated, defaults applied, rule and enforcement explicit, `disabled`
 * only when true — so equal meanings are equal JSON, and saving one is a no-op.
 */
export function normalizedDefinition(policy: CompiledPolicy): PolicyDefinition {
  const { disabled, ...rest } = policy.definition;
  return { ...rest, enforcement: policy.enforcement, ...(disabled ? { disabled: true } : {}) };
}

/** Columns copied from a compiled policy, so the row always agrees with its definition. */
export function columnsOf(policy: CompiledPolicy) {
  return {
    name: policy.name,
    description: policy.description === "" ? null : policy.description,
    category: policy.category,
    severity: policy.severity as Severity,
    enforcement: policy.enforcement as EnforcementMode,
    enabled: !policy.disabled,
    definition: normalizedDefinition(policy) as unknown as Prisma.InputJsonValue,
  };
}

export async function findPolicy(tx: DbTx, ctx: OrgContext, key: string): Promise<Policy> {
  const row = await tx.policy.findFirst({ where: { orgId: ctx.orgId, key } });
  if (!row) throw AppError.notFound("Policy");
  return row;
}

export function definitionOf(row: Pick<Policy, "definition">): PolicyDefinition {
  return row.definition as unknown as PolicyDefinition;
}

export interface PolicySummary {
  key: string;
  name: string;
  description: string | null;
  category: string;
  severity: Severity;
  enforcement: EnforcementMode;
  builtin: boolean;
  enabled: boolean;
  currentVersion: number;
  stages: string[];
  ruleType: string;
  /** Per-cluster enforcement overrides ({} when none). */
  clusterEnforcement: Record<string, EnforcementMode>;
  createdAt: Date;
  updatedAt: Date;
}

export interface PolicyView extends PolicySummary {
  definition: PolicyDefinition;
}

export function toSummary(row: Policy): PolicySummary {
  const def = definitionOf(row);
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    category: row.category,
    severity: row.severity,
    enforcement: row.enforcement,
    builtin: row.builtin,
    enabled: row.enabled,
    currentVersion: row.currentVersion,
    stages: def.stages ?? ["BUILD", "DEPLOY", "RUNTIME"],
    ruleType: def.rule?.type ?? "builtin",
    clusterEnforcement: def.clusterEnforcement ?? {},
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toView(row: Policy): PolicyView {
  return { ...toSummary(row), definition: definitionOf(row) };
}

export interface PolicyChange {
  policy: PolicyView;
  /** False when the saved definition equals the current one: no version and no audit row were written. */
  changed: boolean;
}

/** Top-level fields whose values differ, for the audit row and error messages. */
export function changedFields(before: PolicyDefinition, after: PolicyDefinition): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...keys].filter((k) => !sameJson(a[k], b[k])).sort();
}

/**
 * Writes `compiled` as the policy's next version. The row update is conditional on the version read,
 * so of two concurrent saves from the same version one wins and the other is a CONFLICT, never a
 * silently lost change.
 */
export async function saveNewVersion(tx: DbTx, ctx: OrgContext, row: Policy, compiled: CompiledPolicy, author: UserActor, message: string | undefined): Promise<Policy> {
  const version = row.currentVersion + 1;
  const { count } = await tx.policy.updateMany({
    where: { id: row.id, orgId: ctx.orgId, currentVersion: row.currentVersion },
    data: { ...columnsOf(compiled), currentVersion: version },
  });
  if (count === 0) throw new AppError("CONFLICT", "The policy was changed by someone else; reload it and try again");
  await tx.policyVersion.create({
    data: { orgId: ctx.orgId, policyId: row.id, version, definition: columnsOf(compiled).definition, message: message ?? null, authorId: author.userId },
  });
  return tx.policy.findUniqueOrThrow({ where: { id: row.id } });
}
