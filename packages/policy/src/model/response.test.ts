import { describe, expect, it } from "vitest";
import { compilePolicy, compilePolicySet } from "./compile.ts";
import { policyDefinitionSchema, RESPONSE_ACTIONS } from "./schema.ts";

// The optional runtime `response` of a policy definition: its shape (action, exact Falco rule names),
// the RUNTIME-stage requirement whatever supplies the stages (the definition or the built-in it
// overrides), and that it reaches the compiled policy unchanged.

const cel = (extra: Record<string, unknown> = {}) => ({ id: "shell-guard", name: "Shell guard", severity: "HIGH", rule: { type: "cel", expression: "true" }, ...extra });

function errorsOf(def: unknown) {
  const r = compilePolicy(def);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
}

describe("policy response: accepted definitions", () => {
  it.each(RESPONSE_ACTIONS)("compiles %s and passes it through to the compiled definition", (action) => {
    const r = compilePolicy(cel({ enforcement: "ENFORCE", response: { action } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.definition.response).toEqual({ action });
  });

  it("keeps runtime rules exactly as written, in order", () => {
    const runtimeRules = ["Terminal shell in container", "Drop and execute new binary in container", "Read sensitive file untrusted"];
    const r = compilePolicy(cel({ stages: ["RUNTIME"], response: { action: "DELETE_POD", runtimeRules } }));
    expect(r.ok && r.policy.definition.response).toEqual({ action: "DELETE_POD", runtimeRules });
  });

  it("accepts an empty rule list, 100 rules and 300-character names", () => {
    expect(compilePolicy(cel({ response: { action: "SCALE_TO_ZERO", runtimeRules: [] } })).ok).toBe(true);
    const hundred = [...Array(100).keys()].map((i) => `Rule ${i}`);
    expect(compilePolicy(cel({ response: { action: "SCALE_TO_ZERO", runtimeRules: hundred } })).ok).toBe(true);
    expect(compilePolicy(cel({ response: { action: "SCALE_TO_ZERO", runtimeRules: ["x".repeat(300)] } })).ok).toBe(true);
  });

  it("is optional: a definition without it has none", () => {
    const r = compilePolicy(cel());
    expect(r.ok && r.policy.definition.response).toBeUndefined();
  });

  it("is allowed on a built-in whose own stages include RUNTIME", () => {
    const r = compilePolicy({ id: "no-privileged", enforcement: "ENFORCE", response: { action: "SCALE_TO_ZERO" } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.stages).toContain("RUNTIME");
    expect(r.policy.definition.response).toEqual({ action: "SCALE_TO_ZERO" });
  });

  it("uses the definition's stages over the built-in's", () => {
    expect(compilePolicy({ id: "no-privileged", stages: ["DEPLOY", "RUNTIME"], response: { action: "DELETE_POD" } }).ok).toBe(true);
  });
});

describe("policy response: refused definitions name the field", () => {
  it.each([
    [{ action: "KILL" }, "response.action"],
    [{}, "response.action"],
    [{ action: "DELETE_POD", extra: true }, "response"],
    ["DELETE_POD", "response"],
    [{ action: "DELETE_POD", runtimeRules: "Terminal shell in container" }, "response.runtimeRules"],
    [{ action: "DELETE_POD", runtimeRules: ["a", "a"] }, "response.runtimeRules"],
    [{ action: "DELETE_POD", runtimeRules: [""] }, "response.runtimeRules[0]"],
    [{ action: "DELETE_POD", runtimeRules: ["ok", "   "] }, "response.runtimeRules[1]"],
    [{ action: "DELETE_POD", runtimeRules: [" Terminal shell in container"] }, "response.runtimeRules[0]"],
    [{ action: "DELETE_POD", runtimeRules: ["x".repeat(301)] }, "response.runtimeRules[0]"],
    [{ action: "DELETE_POD", runtimeRules: [42] }, "response.runtimeRules[0]"],
    [{ action: "DELETE_POD", runtimeRules: [...Array(101).keys()].map((i) => `r${i}`) }, "response.runtimeRules"],
  ])("%j → %s", (response, path) => {
    const errors = errorsOf(cel({ response }));
    expect(errors.map((e) => e.path)).toEqual([path]);
  });

  it("says what is wrong with a rule name", () => {
    expect(errorsOf(cel({ response: { action: "DELETE_POD", runtimeRules: [" x"] } }))[0]?.message).toBe("must be a Falco rule name without leading or trailing spaces");
    expect(errorsOf(cel({ response: { action: "DELETE_POD", runtimeRules: ["a", "a"] } }))[0]?.message).toBe("must not repeat a value");
  });

  it("needs the RUNTIME stage from the definition", () => {
    expect(errorsOf(cel({ stages: ["BUILD", "DEPLOY"], response: { action: "DELETE_POD" } }))).toEqual([
      { path: "response", message: "needs the RUNTIME stage (the policy's stages are BUILD, DEPLOY)" },
    ]);
  });

  it("needs the RUNTIME stage from the built-in it overrides", () => {
    // unauthorized-deployer judges admission requests only.
    const errors = errorsOf({ id: "unauthorized-deployer", response: { action: "DELETE_POD" } });
    expect(errors).toEqual([{ path: "response", message: "needs the RUNTIME stage (the policy's stages are DEPLOY)" }]);
    expect(errorsOf({ id: "no-privileged", stages: ["DEPLOY"], response: { action: "SCALE_TO_ZERO" } }).map((e) => e.path)).toEqual(["response"]);
  });

  it("reports the stage problem together with the rule's other errors", () => {
    const errors = errorsOf({ id: "x", stages: ["BUILD"], rule: { type: "cel", expression: "1 +" }, name: "X", severity: "LOW", response: { action: "DELETE_POD" } });
    expect(errors.map((e) => e.path).sort()).toEqual(["response", "rule.expression"]);
  });

  it("is prefixed with the definition's index in a set", () => {
    const r = compilePolicySet([cel(), cel({ id: "other", stages: ["DEPLOY"], response: { action: "SCALE_TO_ZERO" } })]);
    expect(!r.ok && r.errors).toEqual([{ path: "[1].response", message: "needs the RUNTIME stage (the policy's stages are DEPLOY)" }]);
  });

  it("the schema alone accepts a stage mismatch (only compilation knows the built-in's stages)", () => {
    expect(policyDefinitionSchema.safeParse({ id: "unauthorized-deployer", response: { action: "DELETE_POD" } }).success).toBe(true);
  });
});
