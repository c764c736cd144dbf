import type { CompiledPolicy } from "../model/types.ts";
import type { EnforcementMode, EvaluationInput, Severity, Violation } from "../types.ts";
import { applyExceptions, type PolicyException } from "./exceptions.ts";
import type { PolicyResult } from "./results.ts";

// The admission decision honours each policy's enforcement mode: ENFORCE failures deny, WARN failures
// become warnings (kubectl prints them), AUDIT failures are only recorded. A policy that could not be
// evaluated (error result) fails closed when it is ENFORCE, as a Kubernetes webhook with
// failurePolicy: Fail would, unless onError says "warn".

export interface AdmissionFinding {
  policyId: string;
  policyName: string;
  severity: Severity;
  violations: Violation[];
  /** Set for a policy that could not be evaluated. */
  error?: string;
}

export interface AdmissionDecision {
  allowed: boolean;
  /** One line per WARN violation (and per ENFORCE error when onError is "warn"). */
  warnings: string[];
  denials: AdmissionFinding[];
  /** AUDIT failures: recorded, never shown to the requester. */
  audits: AdmissionFinding[];
  /** Empty when allowed; otherwise what the requester sees. */
  message: string;
}

export interface AdmissionOptions {
  /** What an ENFORCE policy that errored does: deny (default, fail closed) or only warn. */
  onError?: "deny" | "warn";
}

/** Kubernetes truncates long warnings; keep each one readable on a terminal line. */
const MAX_WARNING_LENGTH = 256;
const MAX_MESSAGE_LENGTH = 1024;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describe(policyId: string, v: Violation): string {
  // Built-in messages already say `Container "app" …`; name the container only where they do not.
  const named = v.container === undefined || v.message.includes(`"${v.container}"`);
  return `[${policyId}] ${v.message}${named ? "" : ` (container ${v.container})`}`;
}

/** The policy's enforcement for a cluster: its per-cluster override, else its own mode. */
export function effectiveEnforcement(policy: Pick<CompiledPolicy, "enforcement" | "definition">, cluster: string | undefined): EnforcementMode {
  return (cluster !== undefined ? policy.definition.clusterEnforcement?.[cluster] : undefined) ?? policy.enforcement;
}

// A policy set is judged against thousands of requests: its index by id is built once per array and
// reused while the array holds the same policies (checked by identity on each use: cheap, no garbage).
const indexes = new WeakMap<readonly CompiledPolicy[], { items: readonly CompiledPolicy[]; byId: ReadonlyMap<string, CompiledPolicy> }>();

/** The policies by id (the last one wins for a repeated id, as `new Map` would have it). */
export function policiesById(policies: readonly CompiledPolicy[]): ReadonlyMap<string, CompiledPolicy> {
  const cached = indexes.get(policies);
  if (cached && cached.items.length === policies.length && cached.items.every(samePolicyAt, policies)) return cached.byId;
  const byId = new Map(policies.map((p) => [p.id, p]));
  indexes.set(policies, { items: [...policies], byId });
  return byId;
}

function samePolicyAt(this: readonly CompiledPolicy[], p: CompiledPolicy, i: number): boolean {
  return this[i] === p;
}

/**
 * Decides an admission request from evaluation results. Exceptions, when given, waive matching
 * violations first; matching them needs the evaluated input (resource, cluster, settings.now).
 */
export function decideAdmission(
  results: readonly PolicyResult[],
  policies: readonly CompiledPolicy[],
  exceptions: readonly PolicyException[] = [],
  input?: EvaluationInput,
  options?: AdmissionOptions,
): AdmissionDecision {
  if (exceptions.length > 0 && !input) throw new Error("decideAdmission: exceptions need the evaluated input");
  const effective = exceptions.length > 0 && input ? applyExceptions(results, exceptions, input) : results;
  const byId = policiesById(policies);
  const decision: AdmissionDecision = { allowed: true, warnings: [], denials: [], audits: [], message: "" };
  for (const result of effective) {
    if (result.status === "pass") continue;
    const policy = byId.get(result.policyId);
    if (!policy) continue;
    const finding: AdmissionFinding = { policyId: policy.id, policyName: policy.name, severity: policy.severity, violations: result.violations };
    if (result.status === "error") finding.error = result.error ?? "evaluation failed";
    const mode = effectiveEnforcement(policy, input?.cluster);
    if (mode === "ENFORCE" && (result.status === "fail" || (options?.onError ?? "deny") === "deny")) {
      decision.denials.push(finding);
    } else if (mode === "ENFORCE" || mode === "WARN") {
      if (result.status === "error") decision.warnings.push(clip(`[${policy.id}] ${policy.name}: could not be evaluated: ${finding.error}`, MAX_WARNING_LENGTH));
      for (const v of result.violations) decision.warnings.push(clip(describe(policy.id, v), MAX_WARNING_LENGTH));
    } else {
      decision.audits.push(finding);
    }
  }
  if (decision.denials.length > 0) {
    decision.allowed = false;
    const reasons = decision.denials.map((d) => (d.error !== undefined ? `[${d.policyId}] ${d.policyName}: could not be evaluated: ${d.error}` : d.violations.map((v) => describe(d.policyId, v)).join("; ")));
    decision.message = clip(`denied by Bulwark: ${reasons.join("; ")}`, MAX_MESSAGE_LENGTH);
  }
  return decision;
}
