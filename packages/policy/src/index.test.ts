import { describe, expect, it } from "vitest";
import * as policy from "./index.ts";

describe("@bulwark/policy public API", () => {
  it("exports the engine, the model, CEL, criteria and the other areas' barrels", () => {
    for (const name of [
      "compilePolicy",
      "compilePolicySet",
      "compileBuiltin",
      "policyDefinitionSchema",
      "evaluate",
      "decideAdmission",
      "applyExceptions",
      "policyExceptionSchema",
      "maskSecret",
      "compileCel",
      "CEL_VARIABLES",
      "FIELD_CATALOG",
      "parseManifests",
      "toResource",
      "parseImageRef",
      "BUILTIN_POLICIES",
      "evaluatePss",
    ]) {
      expect(policy, name).toHaveProperty(name);
    }
    expect(policy.POLICY_ENGINE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("judges a manifest end to end: parse, normalize, compile, evaluate, decide", () => {
    const [doc] = policy.parseManifests("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: prod}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: nginx}]\n", "pod.yaml");
    const resource = policy.toResource(doc!.object!);
    const set = policy.compilePolicySet([{ id: "host-net", name: "Host network", severity: "HIGH", enforcement: "ENFORCE", rule: { type: "criteria", sections: [{ conditions: [{ field: "pod.hostNetwork", operator: "equals", values: [true] }] }] } }]);
    if (!set.ok) throw new Error(JSON.stringify(set.errors));
    const input = { resource, images: {}, settings: { trustedRegistries: [], allowedDeployers: [], maxScanAgeHours: 24, now: "2026-01-01T00:00:00Z" } };
    const decision = policy.decideAdmission(policy.evaluate(set.policies, input), set.policies);
    expect(decision.allowed).toBe(false);
    expect(decision.message).toBe("denied by Bulwark: [host-net] Host network: pod.hostNetwork equals true");
  });
});
