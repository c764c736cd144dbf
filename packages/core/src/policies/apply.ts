import { type Db, type DbTx, type Policy } from "@bulwark/db";
import { BUILTIN_POLICIES, type PolicyDefinition } from "@bulwark/policy";
import { writeAudit } from "../audit.ts";
import { type OrgContext } from "../context.ts";
import { AppError, type FieldError } from "../errors.ts";
import { changedFields, compileDefinition, definitionOf, findPolicy, normalizedDefinition, parseDefinition, type PolicyChange, requirePolicyAdmin, sameJson, saveNewVersion, toView } from "./store.ts";

// One path for every change to an existing policy (update, enable/disable, enforcement, revert), so
// the rules — what a built-in may change, optimistic concurrency, no-op saves, version + audit in one
// transaction — hold the same way for all of them.

/** What an organization may change on a built-in: where and how strictly it applies, not what it checks. */
export const BUILTIN_EDITABLE_FIELDS = ["enforcement", "clusterEnforcement", "disabled", "scope", "exclusions", "response"] as const;
const EDITABLE: ReadonlySet<string> = new Set(BUILTIN_EDITABLE_FIELDS);
const BUILTIN_DEFAULTS = new Map(BUILTIN_POLICIES.map((b) => [b.id, b]));

/**
 * The definition a built-in row gets from `input`: its check and metadata stay as stored (fields the
 * input leaves out are kept; fields it changes are refused), the editable fields follow the input
 * (absent enforcement means the built-in's default).
 */
function tunedBuiltin(current: PolicyDefinition, input: PolicyDefinition): PolicyDefinition {
  const cur = current as Record<string, unknown>;
  const inp = input as Record<string, unknown>;
  const fields: FieldError[] = [];
  for (const [k, v] of Object.entries(inp)) {
    if (EDITABLE.has(k) || v === undefined) continue;
    if (!sameJson(v, cur[k])) {
      fields.push({ path: `definition.${k}`, message: `a built-in policy's ${k} cannot be changed; clone it to make a custom policy you can edit` });
    }
  }
  if (fields.length > 0) {
    throw new AppError("VALIDATION_FAILED", `Built-in policies only allow changes to ${BUILTIN_EDITABLE_FIELDS.join(", ")}; clone it to change anything else`, { fields });
  }
  const next: Record<string, unknown> = Object.fromEntries(Object.entries(cur).filter(([k]) => !EDITABLE.has(k)));
  for (const k of BUILTIN_EDITABLE_FIELDS) if (inp[k] !== undefined) next[k] = inp[k];
  next.enforcement ??= BUILTIN_DEFAULTS.get(current.id)?.enforcement ?? cur.enforcement;
  return next as PolicyDefinition;
}

export interface ApplyOptions {
  expectedVersion?: number | undefined;
  message?: string | undefined;
  action: string;
  /** Extra audit metadata, e.g. the reverted-to version. */
  audit?: Record<string, string | number | boolean | null>;
}

/** `build` derives the next definition from the current row, inside the transaction that saves it. */
export async function applyPolicyChange(db: Db, ctx: OrgContext, key: string, build: (row: Policy, tx: DbTx) => unknown, opts: ApplyOptions): Promise<PolicyChange> {
  const author = requirePolicyAdmin(ctx);
  return db.$transaction(async (tx) => {
    const row = await findPolicy(tx, ctx, key);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.currentVersion) {
      throw new AppError("CONFLICT", `The policy is at version ${row.currentVersion}, not ${opts.expectedVersion}; reload it and try again`);
    }
    const input = await build(row, tx);
    const current = definitionOf(row);
    // Shape first, so a built-in edit hears "clone it" rather than what a custom rule would need.
    const parsed = parseDefinition(input);
    if (parsed.id !== row.key) {
      throw new AppError("VALIDATION_FAILED", "A policy's key cannot change", { fields: [{ path: "definition.id", message: `must be '${row.key}'; clone the policy to give it another key` }] });
    }
    const compiled = compileDefinition(row.builtin ? tunedBuiltin(current, parsed) : parsed);
    const next = normalizedDefinition(compiled);
    if (sameJson(next, current)) return { policy: toView(row), changed: false };
    const changed = changedFields(current, next);
    const saved = await saveNewVersion(tx, ctx, row, compiled, author, opts.message);
    await writeAudit(tx, ctx, {
      action: opts.action,
      targetType: "policy",
      targetId: row.id,
      metadata: { key: row.key, version: saved.currentVersion, message: opts.message ?? null, changed, ...opts.audit },
    });
    return { policy: toView(saved), changed: true };
  });
}
