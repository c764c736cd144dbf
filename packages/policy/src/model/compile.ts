import { BUILTIN_POLICIES } from "../builtins/index.ts";
import { celCheck } from "../cel/rule.ts";
import { compileCel } from "../cel/compile.ts";
import { compileCriteria } from "../criteria/compile.ts";
import { compileScope } from "../engine/scope.ts";
import type { BuiltinPolicy, PolicyMetadata, Violation } from "../types.ts";
import type { EvalContext } from "../engine/context.ts";
import { formatPath, fromZodIssues, lineColumn } from "./errors.ts";
import { type PolicyDefinition, type PolicyRule, policyDefinitionSchema } from "./schema.ts";
import type { CompiledPolicy, CompileResult, PolicyCompileError, RuleKind } from "./types.ts";

// Validate and compile once: a definition becomes a CompiledPolicy whose check is a closure and whose
// scope is a predicate. Every error names its path in the definition, expression errors also their
// line and column, so the dashboard and the CLI can point at the exact spot.

export interface CompileOptions {
  /** The built-ins `{type: "builtin"}` rules may name (default: all of BUILTIN_POLICIES). */
  builtins?: readonly BuiltinPolicy[];
}

const ALL_STAGES = ["BUILD", "DEPLOY", "RUNTIME"] as const;

function builtinIndex(options: CompileOptions | undefined): ReadonlyMap<string, BuiltinPolicy> {
  const list = options?.builtins ?? BUILTIN_POLICIES;
  return list === BUILTIN_POLICIES ? DEFAULT_INDEX : new Map(list.map((b) => [b.id, b]));
}
const DEFAULT_INDEX: ReadonlyMap<string, BuiltinPolicy> = new Map(BUILTIN_POLICIES.map((b) => [b.id, b]));

/** Metadata for a custom rule: name and severity are required, the rest has neutral defaults. */
function customMetadata(def: PolicyDefinition, errors: PolicyCompileError[]): PolicyMetadata | undefined {
  if (def.name === undefined) errors.push({ path: "name", message: "required for criteria and CEL policies" });
  if (def.severity === undefined) errors.push({ path: "severity", message: "required for criteria and CEL policies" });
  if (def.name === undefined || def.severity === undefined) return undefined;
  return {
    id: def.id,
    name: def.name,
    description: def.description ?? "",
    rationale: def.rationale ?? "",
    remediation: def.remediation ?? "",
    severity: def.severity,
    category: def.category ?? "custom",
    stages: def.stages ?? [...ALL_STAGES],
    enforcement: def.enforcement ?? "AUDIT",
    mitre: def.mitre ?? [],
    threats: def.threats ?? [],
  };
}

/** A built-in's metadata with whatever the definition overrides. */
function overriddenMetadata(def: PolicyDefinition, base: BuiltinPolicy): PolicyMetadata {
  return {
    id: def.id,
    name: def.name ?? base.name,
    description: def.description ?? base.description,
    rationale: def.rationale ?? base.rationale,
    remediation: def.remediation ?? base.remediation,
    severity: def.severity ?? base.severity,
    category: def.category ?? base.category,
    stages: def.stages ?? base.stages,
    enforcement: def.enforcement ?? base.enforcement,
    mitre: def.mitre ?? base.mitre,
    threats: def.threats ?? base.threats,
  };
}

function compileRule(rule: PolicyRule, name: string, builtins: ReadonlyMap<string, BuiltinPolicy>, errors: PolicyCompileError[]): ((ctx: EvalContext) => Violation[]) | undefined {
  if (rule.type === "builtin") {
    const builtin = builtins.get(rule.id);
    if (!builtin) return undefined; // reported by the caller with the list of ids
    return (ctx) => builtin.check(ctx.input);
  }
  if (rule.type === "criteria") {
    const compiled = compileCriteria(rule.sections, name, "rule");
    if (!compiled.ok) errors.push(...compiled.errors);
    return compiled.ok ? compiled.check : undefined;
  }
  const compiled = compileCel(rule.expression);
  if (!compiled.ok) {
    for (const e of compiled.errors) errors.push({ path: "rule.expression", message: e.message, ...lineColumn(rule.expression, e.offset), offset: e.offset });
    return undefined;
  }
  return celCheck(compiled.program, rule.message ?? name);
}

export function compilePolicy(input: unknown, options?: CompileOptions): CompileResult {
  const parsed = policyDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fromZodIssues(parsed.error.issues) };
  const def = parsed.data;
  const builtins = builtinIndex(options);
  const errors: PolicyCompileError[] = [];

  // A definition without a rule overrides the built-in of the same id (enforcement, scope, disabled…).
  const rule: PolicyRule | undefined = def.rule ?? (builtins.has(def.id) ? { type: "builtin", id: def.id } : undefined);
  if (!rule) return { ok: false, errors: [{ path: "rule", message: `required (no built-in policy has the id '${def.id}' to inherit a rule from)` }] };
  let metadata: PolicyMetadata | undefined;
  if (rule.type === "builtin") {
    const base = builtins.get(rule.id);
    if (!base) return { ok: false, errors: [{ path: def.rule ? "rule.id" : "rule", message: `unknown built-in policy '${rule.id}'; built-ins: ${[...builtins.keys()].join(", ")}` }] };
    metadata = overriddenMetadata(def, base);
  } else {
    metadata = customMetadata(def, errors);
  }
  const check = compileRule(rule, metadata?.name ?? def.name ?? def.id, builtins, errors);
  // A response acts on running workloads: a policy never evaluated at runtime could never trigger it,
  // which an admin would only find out when it did not fire.
  const stages = metadata?.stages ?? def.stages ?? ALL_STAGES;
  if (def.response && !stages.includes("RUNTIME")) {
    errors.push({ path: "response", message: `needs the RUNTIME stage (the policy's stages are ${stages.join(", ")})` });
  }
  if (errors.length > 0 || !metadata || !check) return { ok: false, errors };

  const policy: CompiledPolicy = {
    ...metadata,
    ruleKind: rule.type satisfies RuleKind,
    masksEvidence: rule.type === "builtin",
    disabled: def.disabled ?? false,
    definition: { ...def, rule },
    appliesTo: compileScope(def.scope, def.exclusions),
    check,
  };
  return { ok: true, policy };
}

/** A built-in as a compiled policy, with its default metadata and no scope. */
export function compileBuiltin(builtin: BuiltinPolicy): CompiledPolicy {
  const { check, ...metadata } = builtin;
  return {
    ...metadata,
    ruleKind: "builtin",
    masksEvidence: true,
    disabled: false,
    definition: { id: builtin.id, rule: { type: "builtin", id: builtin.id } },
    appliesTo: undefined,
    check: (ctx) => check.call(builtin, ctx.input),
  };
}

export interface PolicySetOptions extends CompileOptions {
  /**
   * Start from every built-in (default enforcement, no scope); a definition with a built-in's id
   * replaces it in place (e.g. `{id: "no-privileged", enforcement: "AUDIT"}`, `{…, disabled: true}`).
   */
  withBuiltins?: boolean;
}

export type PolicySetResult = { ok: true; policies: CompiledPolicy[] } | { ok: false; errors: PolicyCompileError[] };

/** Compiles a list of definitions; errors are prefixed with the definition's index (`[2].rule.expression`). */
export function compilePolicySet(defs: readonly unknown[], options?: PolicySetOptions): PolicySetResult {
  const errors: PolicyCompileError[] = [];
  const compiled: CompiledPolicy[] = [];
  const seen = new Map<string, number>();
  defs.forEach((def, i) => {
    const result = compilePolicy(def, options);
    if (!result.ok) {
      for (const e of result.errors) errors.push({ ...e, path: formatPath([i], "") + (e.path.startsWith("[") || e.path === "" ? e.path : `.${e.path}`) });
      return;
    }
    const first = seen.get(result.policy.id);
    if (first !== undefined) errors.push({ path: `[${i}].id`, message: `duplicate policy id '${result.policy.id}' (also at [${first}])` });
    seen.set(result.policy.id, i);
    compiled.push(result.policy);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (!options?.withBuiltins) return { ok: true, policies: compiled };

  const byId = new Map(compiled.map((p) => [p.id, p]));
  const builtins = options.builtins ?? BUILTIN_POLICIES;
  const policies = builtins.map((b) => byId.get(b.id) ?? compileBuiltin(b));
  const builtinIds = new Set(builtins.map((b) => b.id));
  for (const p of compiled) if (!builtinIds.has(p.id)) policies.push(p);
  return { ok: true, policies };
}
