import { isObject } from "../input/path.ts";
import type { BuiltinPolicy, EvaluationInput, Violation } from "../types.ts";
import { detectSecret } from "./secret-detect.ts";
import { arrayIn } from "./util.ts";

// Hard-coded credentials in container environments. Only literal `value`s are judged: `valueFrom`
// (secretKeyRef, configMapKeyRef, fieldRef) and `envFrom` are references, which is what we want.

export const noSecretsInEnv: BuiltinPolicy = {
  id: "no-secrets-in-env",
  name: "No secrets in environment variables",
  description:
    "Environment variables must not hold literal credentials: known key formats (AWS, GitHub, Slack, Stripe, Google, private keys, JWTs, passwords in URLs) or random-looking values under secret-like names.",
  rationale:
    "A literal in a manifest is readable by everyone who can read the workload (Git, CI logs, `kubectl get -o yaml`, the inventory) and cannot be rotated without a redeploy.",
  remediation: "Move the value into a Kubernetes Secret (or an external secret store) and reference it with `valueFrom.secretKeyRef`; rotate the exposed credential.",
  severity: "HIGH",
  category: "Secrets",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "WARN",
  mitre: ["T1552.001"],
  threats: ["insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (resource.podSpec === undefined) return out;
    for (const c of resource.containers) {
      const env = arrayIn(c.spec, "env");
      if (env === undefined) continue;
      for (let i = 0; i < env.length; i++) {
        const e = env[i];
        if (!isObject(e)) continue;
        const value = e["value"];
        if (typeof value !== "string") continue;
        const name = typeof e["name"] === "string" ? e["name"] : "";
        const found = detectSecret(name, value);
        if (found === undefined) continue;
        out.push({
          message: `Container "${c.name}" has a literal ${found.kind} in environment variable ${name}`,
          container: c.name,
          path: `${c.path}.env[${i}].value`,
          evidence: `${name}=${found.masked}`,
        });
      }
    }
    return out;
  },
};
