import { toResource } from "../input/resource.ts";
import type { BuiltinPolicy, EvaluationInput, EvaluationSettings, ImageFacts, JsonObject, Violation } from "../types.ts";

// Builders for the built-ins' tests (not exported from the package): resources go through the input
// helper's toResource, exactly as the engine feeds them.

export const SETTINGS: EvaluationSettings = {
  trustedRegistries: [],
  allowedDeployers: [],
  maxScanAgeHours: 168,
  now: "2025-06-15T12:00:00Z",
};

export function pod(spec: JsonObject, name = "web"): JsonObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "prod" }, spec };
}

export function deployment(spec: JsonObject, name = "web"): JsonObject {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "prod" }, spec: { replicas: 2, template: { metadata: { labels: { app: name } }, spec } } };
}

export function cronJob(spec: JsonObject, name = "nightly"): JsonObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "prod" },
    spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec } } } },
  };
}

export function inputFor(object: JsonObject, extra: Partial<Omit<EvaluationInput, "resource">> = {}): EvaluationInput {
  return { resource: toResource(object), images: {}, settings: SETTINGS, ...extra };
}

export function run(policy: BuiltinPolicy, object: JsonObject, extra: Partial<Omit<EvaluationInput, "resource">> = {}): Violation[] {
  return policy.check(inputFor(object, extra));
}

/** [container, path] of each violation: what most assertions are about. */
export function where(violations: Violation[]): [string | undefined, string | undefined][] {
  return violations.map((v) => [v.container, v.path]);
}

export function facts(ref: string, over: Partial<ImageFacts> = {}): ImageFacts {
  return {
    ref,
    scannedAt: "2025-06-14T12:00:00Z",
    vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, fixableCritical: 0, fixableHigh: 0 },
    malware: { detected: false, signatures: [] },
    signature: { verified: true, signer: "ci@acme" },
    ...over,
  };
}

/** A container that passes every configuration built-in. */
export function hardened(name: string, image: string): JsonObject {
  return {
    name,
    image,
    resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ["ALL"] } },
  };
}
