"use server";

import { AppError, clonePolicy, createPolicy, deletePolicy, getPolicy, getPolicyVersion, isAppError, listPolicies, revertPolicy, setPolicyEnabled, setPolicyEnforcement, updatePolicy, type FieldError } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { actionContext, runAction } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";

// Server actions are public POST endpoints: arguments are untrusted, so each is type-checked here and
// then validated and authorised (ADMIN+ for changes) by the core use case it calls, exactly like the
// /api/v1/policies routes.

const MAX_IMPORT = 200;
const MAX_EXPORT = 1000;

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}
function optionalMessage(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}
function optionalVersion(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

function refresh(): void {
  revalidatePath("/policies", "layout");
}

export async function setPolicyEnabledAction(key: unknown, enabled: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await setPolicyEnabled(db(), ctx, text(key), enabled === true);
    refresh();
    return { enabled: r.policy.enabled, version: r.policy.currentVersion, changed: r.changed };
  });
}

export async function setPolicyEnforcementAction(key: unknown, mode: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await setPolicyEnforcement(db(), ctx, text(key), mode);
    refresh();
    return { enforcement: r.policy.enforcement, version: r.policy.currentVersion, changed: r.changed };
  });
}

export async function createPolicyAction(definition: unknown, message: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const p = await createPolicy(db(), ctx, { definition, message: optionalMessage(message) });
    refresh();
    return { key: p.key, version: p.currentVersion };
  });
}

export async function updatePolicyAction(key: unknown, definition: unknown, message: unknown, expectedVersion: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await updatePolicy(db(), ctx, text(key), { definition, message: optionalMessage(message), expectedVersion: optionalVersion(expectedVersion) });
    refresh();
    return { key: r.policy.key, version: r.policy.currentVersion, changed: r.changed };
  });
}

export async function clonePolicyAction(key: unknown, newKey: unknown, name: unknown, message: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const nm = optionalMessage(name);
    const p = await clonePolicy(db(), ctx, text(key), { newKey: text(newKey).trim(), ...(nm ? { name: nm } : {}), message: optionalMessage(message) });
    refresh();
    return { key: p.key };
  });
}

export async function deletePolicyAction(key: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await deletePolicy(db(), ctx, text(key));
    refresh();
    return { key: r.key };
  });
}

export async function revertPolicyAction(key: unknown, version: unknown, message: unknown, expectedVersion: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await revertPolicy(db(), ctx, text(key), { version, message: optionalMessage(message), expectedVersion: optionalVersion(expectedVersion) });
    refresh();
    return { version: r.policy.currentVersion, changed: r.changed };
  });
}

/** One stored version's definition, for the diff view (any member). */
export async function policyVersionAction(key: unknown, version: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const v = await getPolicyVersion(db(), ctx, text(key), version);
    return { version: v.version, definition: v.definition };
  });
}

/** Current definitions of the given policies, for a YAML export of the list (any member). */
export async function exportPoliciesAction(keys: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const wanted = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string").slice(0, MAX_EXPORT) : [];
    const definitions = [];
    for (const key of wanted) definitions.push((await getPolicy(db(), ctx, key)).definition);
    return { definitions };
  });
}

export interface ImportItemResult {
  key: string;
  outcome: "created" | "updated" | "unchanged" | "failed";
  version?: number;
  error?: string;
  fields?: FieldError[];
}

/**
 * Creates or updates each definition by its id, one use-case call (and transaction) each: a refused
 * definition is reported with its errors and the others still apply, so the result lists every outcome.
 */
export async function importPoliciesAction(definitions: unknown, message: unknown) {
  return runAction(async (): Promise<ImportItemResult[]> => {
    const ctx = await actionContext();
    if (!Array.isArray(definitions) || definitions.length === 0) throw new AppError("VALIDATION_FAILED", "There is nothing to import", { fields: [{ path: "definitions", message: "must list at least one policy definition" }] });
    const defs = definitions.slice(0, MAX_IMPORT);
    const existing = new Set((await listPolicies(db(), ctx)).policies.map((p) => p.key));
    const msg = optionalMessage(message) ?? "Imported from YAML";
    const results: ImportItemResult[] = [];
    for (const definition of defs) {
      const key = typeof definition === "object" && definition !== null ? text((definition as { id?: unknown }).id) : "";
      try {
        if (existing.has(key)) {
          const r = await updatePolicy(db(), ctx, key, { definition, message: msg });
          results.push({ key, outcome: r.changed ? "updated" : "unchanged", version: r.policy.currentVersion });
        } else {
          const p = await createPolicy(db(), ctx, { definition, message: msg });
          existing.add(p.key);
          results.push({ key: p.key, outcome: "created", version: p.currentVersion });
        }
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err;
        // Authorisation is the same for every item: stop at the first refusal instead of repeating it.
        if (err.code === "FORBIDDEN" || err.code === "UNAUTHENTICATED") throw err;
        results.push({ key, outcome: "failed", error: err.message, ...(err.fields ? { fields: err.fields } : {}) });
      }
    }
    refresh();
    return results;
  });
}
