import type { EvalContext } from "../engine/context.ts";
import type { EvaluationInput, PolicyMetadata, Violation } from "../types.ts";
import type { PolicyDefinition } from "./schema.ts";

/** Where a compiled policy's check comes from. */
export type RuleKind = "builtin" | "criteria" | "cel";

/**
 * A policy ready to evaluate: validated once, its rule compiled to a closure, its scope and exclusions
 * compiled to one predicate. Evaluating it never parses or compiles anything.
 */
export interface CompiledPolicy extends PolicyMetadata {
  readonly ruleKind: RuleKind;
  /**
   * The check masks secrets in its evidence itself (built-ins: they know which values are secret, and
   * their tests prove it). For the others (criteria evidence shows raw field values such as
   * annotations) the engine runs maskSecretsIn over every evidence string.
   */
  readonly masksEvidence: boolean;
  readonly disabled: boolean;
  /** The validated definition (for built-ins used as-is: a definition naming the built-in). */
  readonly definition: PolicyDefinition;
  /** Scope and exclusions; undefined when the policy applies to every resource. */
  readonly appliesTo: ((input: EvaluationInput) => boolean) | undefined;
  /** Violations of this policy by the context's resource; may throw (the engine turns that into an error result). */
  readonly check: (ctx: EvalContext) => Violation[];
}

/**
 * A precise compile error: `path` is the field in the policy definition (`rule.expression`,
 * `rule.sections[0].conditions[1].values[0]`, `scope.labelSelector.matchExpressions[0].values`), and
 * for expression errors `line`/`column` (1-based) and `offset` (0-based) point into that field's text.
 */
export interface PolicyCompileError {
  path: string;
  message: string;
  line?: number;
  column?: number;
  offset?: number;
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; errors: PolicyCompileError[] };
