import type { CompiledPolicy } from "../model/types.ts";
import type { EvaluationInput, LifecycleStage, Violation } from "../types.ts";
import { createContext } from "./context.ts";
import { applyExceptions, type PolicyException } from "./exceptions.ts";
import { maskSecretsIn } from "./mask.ts";
import type { PolicyResult } from "./results.ts";

// Judges one resource against a set of compiled policies. Policies that are disabled, not for the
// requested lifecycle stage, or whose scope/exclusions leave the resource out produce no result at all.
// A check that throws (a CEL runtime error, a bug in a check) yields an `error` result for that policy
// and resource only: one bad rule never stops the others.

export interface EvaluateOptions {
  /** Only policies that declare this stage (CI: BUILD, admission: DEPLOY, inventory: RUNTIME). */
  stage?: LifecycleStage;
  /** Waive matching violations (see applyExceptions). */
  exceptions?: readonly PolicyException[];
}

// Evidence of criteria and CEL rules is masked here (built-ins mask their own, see CompiledPolicy).
// Cheap pre-filter: most evidence ("privileged=true") cannot hold a secret, so the full masking pass
// only runs on strings with a hint of one.
const SECRET_HINT = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox|sk_|AIza|eyJ|bwk_|PRIVATE KEY|:\/\/|pass|secret|token|key|credential|auth/i;

function masked(violations: Violation[]): Violation[] {
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i]!;
    if (v.evidence !== undefined && SECRET_HINT.test(v.evidence)) {
      const evidence = maskSecretsIn(v.evidence);
      if (evidence !== v.evidence) violations[i] = { ...v, evidence };
    }
  }
  return violations;
}

function errorMessage(err: unknown): string {
  const first = err instanceof Error ? err.message.split("\n")[0] : String(err);
  return (first ?? "").slice(0, 500) || "unknown error";
}

export function evaluate(policies: readonly CompiledPolicy[], input: EvaluationInput, options?: EvaluateOptions): PolicyResult[] {
  const ctx = createContext(input);
  const stage = options?.stage;
  const results: PolicyResult[] = [];
  for (const policy of policies) {
    if (policy.disabled) continue;
    if (stage !== undefined && !policy.stages.includes(stage)) continue;
    if (policy.appliesTo !== undefined && !policy.appliesTo(input)) continue;
    let violations: Violation[];
    try {
      violations = policy.check(ctx);
    } catch (err) {
      results.push({ policyId: policy.id, status: "error", passed: false, violations: [], error: errorMessage(err) });
      continue;
    }
    if (violations.length === 0) results.push({ policyId: policy.id, status: "pass", passed: true, violations });
    else results.push({ policyId: policy.id, status: "fail", passed: false, violations: policy.masksEvidence ? violations : masked(violations) });
  }
  const exceptions = options?.exceptions;
  return exceptions && exceptions.length > 0 ? applyExceptions(results, exceptions, input) : results;
}
