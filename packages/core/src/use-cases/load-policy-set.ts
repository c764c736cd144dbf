import { createHash } from "node:crypto";
import { type Db } from "@bulwark/db";
import { canonicalJson, type CompiledPolicy, compilePolicy, compilePolicySet, type PolicyCompileError } from "@bulwark/policy";
import { ensureBuiltinPolicies } from "./ensure-builtin-policies.ts";

// The organization's enabled policies, compiled, for evaluation (admission, inventory, bundles). The
// version is a hash of the enabled definitions: it changes exactly when what is evaluated changes, so
// enforcement points and bundle builders can tell whether they are current. Compiling CEL is the costly
// part, so compiled sets are cached per process by organization and version.

export interface LoadedPolicySet {
  /** `sha256:<hex>` of the enabled definitions, ordered by key. */
  version: string;
  compiled: CompiledPolicy[];
  /** Stored definitions that no longer compile (e.g. after an engine upgrade); they are left out, never fatal. */
  errors: (PolicyCompileError & { key: string })[];
}

const MAX_CACHED_ORGS = 500;
const cache = new Map<string, LoadedPolicySet>();

function remember(cacheKey: string, orgId: string, set: LoadedPolicySet): void {
  // One entry per organization: a new version replaces the old one.
  for (const k of cache.keys()) if (k.startsWith(`${orgId}:`)) cache.delete(k);
  if (cache.size >= MAX_CACHED_ORGS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(cacheKey, set);
}

export async function loadPolicySet(db: Db, orgId: string): Promise<LoadedPolicySet> {
  await ensureBuiltinPolicies(db, orgId);
  const rows = await db.policy.findMany({ where: { orgId, enabled: true }, orderBy: { key: "asc" }, select: { key: true, definition: true } });
  const version = `sha256:${createHash("sha256").update(canonicalJson(rows.map((r) => r.definition))).digest("hex")}`;
  const cacheKey = `${orgId}:${version}`;
  const hit = cache.get(cacheKey);
  if (hit) {
    // Refresh recency so busy organizations stay cached.
    cache.delete(cacheKey);
    cache.set(cacheKey, hit);
    return hit;
  }
  const defs = rows.map((r) => r.definition);
  const whole = compilePolicySet(defs);
  let set: LoadedPolicySet;
  if (whole.ok) {
    set = { version, compiled: whole.policies, errors: [] };
  } else {
    const compiled: CompiledPolicy[] = [];
    const errors: LoadedPolicySet["errors"] = [];
    rows.forEach((r) => {
      const one = compilePolicy(r.definition);
      if (one.ok) compiled.push(one.policy);
      else for (const e of one.errors) errors.push({ ...e, key: r.key });
    });
    set = { version, compiled, errors };
  }
  remember(cacheKey, orgId, set);
  return set;
}
