import { type Severity } from "@bulwark/db";
import { type EvaluationInput, evaluatePss, getBuiltinPolicy, type PolicyMetadata, type PolicyResult, type Resource } from "@bulwark/policy";

// What one evaluation says about one workload, in the compact form stored on the Workload row
// (Workload.policyResults, pssLevel and the practice flags). Pure: the use case feeds it the engine's
// results, the tests feed it hand-made ones.

/**
 * pass: no violation; fail: violations; warn: violations of an INFO policy (informational, "not scored"
 * in PolicyReport terms); skip: every violation waived by an approved exception; error: the check could
 * not run (e.g. a CEL runtime error). Policies whose scope leaves the workload out have no entry.
 */
export type WorkloadPolicyStatus = "pass" | "fail" | "warn" | "skip" | "error";

/** One entry of Workload.policyResults (sorted by policy key). */
export interface WorkloadPolicyResult {
  /** Policy key, e.g. `no-privileged`. */
  policy: string;
  title: string;
  severity: Severity;
  category: string;
  result: WorkloadPolicyStatus;
  /** fail/warn: the first violation (and how many more); skip: the waiving exception(s); error: why. */
  message?: string;
  /** fail/warn: the containers with violations (absent for pod-level violations). */
  containers?: string[];
}

/** The highest Pod Security Standards level a workload meets; "privileged" when it fails baseline. */
export type PssLevelName = "restricted" | "baseline" | "privileged";

export interface PracticeFlags {
  /** Built-ins run-as-non-root, no-privileged and no-privilege-escalation all pass. */
  nonRoot: boolean | null;
  /** Built-in read-only-root-fs passes. */
  readOnlyRootFs: boolean | null;
  /** Built-in trusted-registries passes; null when the organization has no trusted registry. */
  trustedImages: boolean | null;
}

const MESSAGE_MAX = 500;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The stored entry for a policy's result on a workload (after exceptions were applied). */
export function toWorkloadPolicyResult(policy: Pick<PolicyMetadata, "id" | "name" | "severity" | "category">, r: PolicyResult): WorkloadPolicyResult {
  const base = { policy: policy.id, title: policy.name, severity: policy.severity, category: policy.category };
  if (r.status === "error") return { ...base, result: "error", message: clip(`Could not be evaluated: ${r.error ?? "error"}`, MESSAGE_MAX) };
  if (r.status === "pass") {
    const waived = r.waived ?? [];
    if (waived.length === 0) return { ...base, result: "pass" };
    const ids = [...new Set(waived.map((w) => w.exception))].sort();
    return { ...base, result: "skip", message: clip(`Waived by exception ${ids.join(", ")}`, MESSAGE_MAX) };
  }
  const first = r.violations[0]?.message ?? "Violated";
  const more = r.violations.length > 1 ? ` (+${r.violations.length - 1} more)` : "";
  const containers = [...new Set(r.violations.flatMap((v) => (v.container ? [v.container] : [])))].sort();
  return {
    ...base,
    result: policy.severity === "INFO" ? "warn" : "fail",
    message: clip(`${first}${more}`, MESSAGE_MAX),
    ...(containers.length > 0 ? { containers } : {}),
  };
}

/** restricted if the pod spec passes restricted, else baseline if it passes baseline, else privileged; null without a pod spec. */
export function pssLevelOf(resource: Resource): PssLevelName | null {
  if (!resource.podSpec) return null;
  if (evaluatePss(resource, "restricted").allowed) return "restricted";
  return evaluatePss(resource, "baseline").allowed ? "baseline" : "privileged";
}

function passes(id: string, input: EvaluationInput): boolean | null {
  const builtin = getBuiltinPolicy(id);
  if (!builtin) return null;
  try {
    return builtin.check(input).length === 0;
  } catch {
    return null;
  }
}

const and = (...values: Array<boolean | null>): boolean | null => (values.includes(false) ? false : values.includes(null) ? null : true);

/**
 * The practice flags, from the built-in checks themselves: they measure the workload as it runs, so an
 * organization disabling a policy or approving an exception does not change them.
 */
export function practiceFlags(input: EvaluationInput): PracticeFlags {
  if (!input.resource.podSpec) return { nonRoot: null, readOnlyRootFs: null, trustedImages: null };
  return {
    nonRoot: and(passes("run-as-non-root", input), passes("no-privileged", input), passes("no-privilege-escalation", input)),
    readOnlyRootFs: passes("read-only-root-fs", input),
    trustedImages: input.settings.trustedRegistries.length === 0 ? null : passes("trusted-registries", input),
  };
}
