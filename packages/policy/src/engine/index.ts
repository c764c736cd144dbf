// The engine: evaluate compiled policies against one resource, waive with exceptions, decide admission.
export { evaluate, type EvaluateOptions } from "./evaluate.ts";
export { decideAdmission, effectiveEnforcement, type AdmissionDecision, type AdmissionFinding, type AdmissionOptions } from "./admission.ts";
export { applyExceptions, policyExceptionSchema, type PolicyException } from "./exceptions.ts";
export { compileScope, compileNamePatterns } from "./scope.ts";
export { compileLabelSelector, type LabelMatcher } from "./label-selector.ts";
export { maskSecret, maskSecretsIn, isSecretName } from "./mask.ts";
export { createContext, type EvalContext } from "./context.ts";
export type { PolicyResult, PolicyStatus, WaivedViolation } from "./results.ts";
