import type { BuiltinPolicy, EvaluationInput, Violation } from "../types.ts";
import { at, objectIn, show } from "./util.ts";

// Workload hygiene: resource limits and the service account token every pod gets by default.

/** A limit of zero (or an empty string) is no limit at all. */
function isLimit(value: unknown): boolean {
  if (typeof value === "string") return value !== "" && value !== "0";
  return typeof value === "number" && value > 0;
}

const LIMITED_RESOURCES = ["cpu", "memory"] as const;

export const resourceLimits: BuiltinPolicy = {
  id: "resource-limits",
  name: "CPU and memory limits",
  description: "Every regular container must set `resources.limits.cpu` and `resources.limits.memory`.",
  rationale:
    "Without limits one compromised or runaway container (a crypto-miner, a memory leak) can starve its node and every pod on it.",
  remediation: "Set `resources.limits.cpu` and `resources.limits.memory` (and matching requests) on every container.",
  severity: "MEDIUM",
  category: "Resources",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1496", "T1499"],
  threats: ["insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (resource.podSpec === undefined) return out;
    for (const c of resource.containers) {
      // Init containers run to completion one at a time and ephemeral containers cannot set resources.
      if (c.kind !== "container") continue;
      const limits = objectIn(objectIn(c.spec, "resources"), "limits");
      for (const name of LIMITED_RESOURCES) {
        const value = limits?.[name];
        if (isLimit(value)) continue;
        out.push({
          message: `Container "${c.name}" has no ${name} limit`,
          container: c.name,
          path: `${c.path}.resources.limits.${name}`,
          evidence: `limits.${name}: ${show(value)}`,
        });
      }
    }
    return out;
  },
};

export const automountServiceAccountToken: BuiltinPolicy = {
  id: "automount-service-account-token",
  name: "No automounted service account token",
  description: "Pods must set `automountServiceAccountToken: false` unless they call the Kubernetes API.",
  rationale:
    "Every pod gets a token for its service account by default; an intruder in any container can read it and act on the cluster API with its permissions.",
  remediation:
    "Set `automountServiceAccountToken: false` in the pod spec; pods that need the API should use a dedicated service account with minimal RBAC (and keep the token).",
  severity: "LOW",
  category: "Service accounts",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1528", "T1550.001"],
  threats: ["insecure-configuration", "privilege-escalation"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    // Only an explicit false on the pod passes: the ServiceAccount's own setting is not visible here.
    if (podSpec === undefined || podSpec["automountServiceAccountToken"] === false) return out;
    const value = podSpec["automountServiceAccountToken"];
    const account = typeof podSpec["serviceAccountName"] === "string" && podSpec["serviceAccountName"] !== "" ? podSpec["serviceAccountName"] : "default";
    out.push({
      message: `The pod mounts a token of service account "${account}"`,
      path: at(resource.podSpecPath, "automountServiceAccountToken"),
      // Worded without ": value" so the engine's secret masking does not take the value for a token.
      evidence: value === undefined ? `automountServiceAccountToken is not set (service account ${account})` : `automountServiceAccountToken is ${show(value)}`,
    });
    return out;
  },
};
