import { toResource } from "../input/resource.ts";
import { compilePolicy } from "../model/compile.ts";
import type { CompiledPolicy } from "../model/types.ts";
import type { EvaluationInput, EvaluationSettings, JsonObject } from "../types.ts";

// Builders for the engine's, CEL's and criteria's tests (not exported from the package).

export const SETTINGS: EvaluationSettings = { trustedRegistries: ["ghcr.io"], allowedDeployers: [], maxScanAgeHours: 24, now: "2026-01-15T12:00:00Z" };

export function deployment(containers: JsonObject[], extra: { name?: string; namespace?: string; labels?: Record<string, string>; podLabels?: Record<string, string>; pod?: JsonObject; initContainers?: JsonObject[] } = {}): JsonObject {
  const spec: JsonObject = { containers, ...extra.pod };
  if (extra.initContainers) spec["initContainers"] = extra.initContainers;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: extra.name ?? "web", namespace: extra.namespace ?? "prod", labels: extra.labels ?? { app: "web" } },
    spec: { template: { metadata: { labels: extra.podLabels ?? { app: "web" } }, spec } },
  };
}

export function podObject(containers: JsonObject[], pod: JsonObject = {}, name = "p"): JsonObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "prod" }, spec: { containers, ...pod } };
}

export function inputFor(object: JsonObject, extra: Partial<Omit<EvaluationInput, "resource">> = {}): EvaluationInput {
  return { resource: toResource(object), images: {}, settings: SETTINGS, ...extra };
}

/** Compiles or throws with the errors, for tests about evaluation rather than validation. */
export function policy(def: Record<string, unknown>): CompiledPolicy {
  const result = compilePolicy({ name: "Test policy", severity: "HIGH", ...def });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

export const cel = (expression: string, extra: Record<string, unknown> = {}) => policy({ id: "cel-test", rule: { type: "cel", expression }, ...extra });
