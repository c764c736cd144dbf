import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES } from "../builtins/index.ts";
import { createContext } from "../engine/context.ts";
import { deployment, inputFor } from "../engine/testing.ts";
import { compileBuiltin, compilePolicy, compilePolicySet } from "./compile.ts";

const celDef = (expression: string, extra: Record<string, unknown> = {}) => ({ id: "my-rule", name: "My rule", severity: "HIGH", rule: { type: "cel", expression }, ...extra });

function errorsOf(def: unknown) {
  const r = compilePolicy(def);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
}

describe("compilePolicy: validation", () => {
  it("compiles a minimal CEL policy with neutral defaults", () => {
    const r = compilePolicy(celDef("containers.exists(c, c.name == 'x')"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy).toMatchObject({ id: "my-rule", name: "My rule", severity: "HIGH", enforcement: "AUDIT", category: "custom", stages: ["BUILD", "DEPLOY", "RUNTIME"], mitre: [], threats: [], ruleKind: "cel", disabled: false });
    expect(r.policy.appliesTo).toBeUndefined();
  });

  it("names the path of every schema error", () => {
    const errors = errorsOf({
      id: "Bad_Id",
      name: "x",
      severity: "URGENT",
      enforcment: "ENFORCE",
      stages: ["BUILD", "BUILD"],
      mitre: ["1610"],
      scope: { labelSelector: { matchExpressions: [{ key: "app", operator: "In" }] } },
      exclusions: [{}],
      rule: { type: "criteria", sections: [{ conditions: [{ field: "pod.hostNetwork", operator: "is", values: [true] }] }] },
    });
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      [
        "",
        "exclusions[0]",
        "id",
        "mitre[0]",
        "rule.sections[0].conditions[0].operator",
        "scope.labelSelector.matchExpressions[0].values",
        "severity",
        "stages",
      ].sort(),
    );
    expect(errors.find((e) => e.path === "")?.message).toMatch(/enforcment/);
    expect(errors.find((e) => e.path === "scope.labelSelector.matchExpressions[0].values")?.message).toBe("must be non-empty when operator is In");
  });

  it("rejects values on Exists/DoesNotExist selector requirements", () => {
    const errors = errorsOf(celDef("true", { scope: { labelSelector: { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] } } }));
    expect(errors).toEqual([{ path: "scope.labelSelector.matchExpressions[0].values", message: "must be empty when operator is Exists" }]);
  });

  it("requires name and severity for criteria and CEL rules", () => {
    const errors = errorsOf({ id: "x", rule: { type: "cel", expression: "true" } });
    expect(errors).toEqual([
      { path: "name", message: "required for criteria and CEL policies" },
      { path: "severity", message: "required for criteria and CEL policies" },
    ]);
  });

  it("requires a rule unless the id is a built-in's", () => {
    expect(errorsOf({ id: "not-a-builtin", name: "x", severity: "LOW" })).toEqual([
      { path: "rule", message: "required (no built-in policy has the id 'not-a-builtin' to inherit a rule from)" },
    ]);
  });

  it("rejects an unknown built-in id at rule.id", () => {
    const [error] = errorsOf({ id: "x", rule: { type: "builtin", id: "no-such-thing" } });
    expect(error?.path).toBe("rule.id");
    expect(error?.message).toMatch(/^unknown built-in policy 'no-such-thing'; built-ins: no-privileged, /);
  });

  it("rejects an empty or blank expression", () => {
    expect(errorsOf(celDef("   ")).map((e) => e.path)).toEqual(["rule.expression"]);
  });
});

describe("compilePolicy: CEL errors point into the expression", () => {
  it("gives line, column and offset of a syntax error", () => {
    const expression = "object.metadata.name == 'a' &&\n  object.spec.replicas >";
    const [error] = errorsOf(celDef(expression));
    expect(error).toEqual({ path: "rule.expression", message: "Unexpected token: EOF", line: 2, column: 25, offset: expression.length });
  });

  it("keeps positions relative to the text as written (leading whitespace counts)", () => {
    const [error] = errorsOf(celDef("  1 +"));
    expect(error).toMatchObject({ line: 1, column: 6, offset: 5 });
  });

  it("reports unknown variables with the list of available ones", () => {
    const [error] = errorsOf(celDef("true && pod.spec.hostNetwork"));
    expect(error).toMatchObject({ path: "rule.expression", line: 1, column: 9 });
    expect(error?.message).toBe("unknown variable 'pod' (available: object, resource, podSpec, containers, settings, request, container, image)");
  });

  it("reports type errors found statically", () => {
    const [error] = errorsOf(celDef("1 + 'a' == 2"));
    expect(error?.message).toMatch(/no such overload: int \+ string/);
  });
});

describe("compilePolicy: built-in overrides", () => {
  const base = BUILTIN_POLICIES.find((b) => b.id === "no-privileged")!;

  it("inherits the built-in's metadata and check when the rule is omitted", () => {
    const r = compilePolicy({ id: "no-privileged", enforcement: "ENFORCE", scope: { namespaces: ["prod"] } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy).toMatchObject({ id: "no-privileged", name: base.name, severity: base.severity, enforcement: "ENFORCE", ruleKind: "builtin", mitre: base.mitre });
    const input = inputFor(deployment([{ name: "a", image: "x", securityContext: { privileged: true } }]));
    expect(r.policy.check(createContext(input))).toHaveLength(1);
    expect(r.policy.appliesTo?.(input)).toBe(true);
  });

  it("lets a custom policy reuse a built-in check under its own id", () => {
    const r = compilePolicy({ id: "prod-privileged", severity: "CRITICAL", rule: { type: "builtin", id: "no-privileged" }, scope: { namespaces: ["prod"] } });
    expect(r.ok && r.policy.name).toBe(base.name);
    expect(r.ok && r.policy.severity).toBe("CRITICAL");
  });

  it("compiles a built-in as is", () => {
    const p = compileBuiltin(base);
    expect(p).toMatchObject({ id: base.id, enforcement: base.enforcement, ruleKind: "builtin", disabled: false, appliesTo: undefined });
    expect(p.definition).toEqual({ id: base.id, rule: { type: "builtin", id: base.id } });
  });
});

describe("compilePolicySet", () => {
  it("prefixes errors with the definition's index and finds duplicate ids", () => {
    const r = compilePolicySet([celDef("true"), celDef("1 +"), celDef("true")]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { path: "[1].rule.expression", message: "Unexpected token: EOF", line: 1, column: 4, offset: 3 },
      { path: "[2].id", message: "duplicate policy id 'my-rule' (also at [0])" },
    ]);
  });

  it("prefixes schema errors at the root with the index alone", () => {
    const r = compilePolicySet(["not an object"]);
    expect(!r.ok && r.errors[0]?.path).toBe("[0]");
  });

  it("with built-ins: replaces overridden ones in place and appends custom policies", () => {
    const r = compilePolicySet([{ id: "no-privileged", disabled: true }, celDef("false")], { withBuiltins: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policies.map((p) => p.id)).toEqual([...BUILTIN_POLICIES.map((b) => b.id), "my-rule"]);
    expect(r.policies[0]).toMatchObject({ id: "no-privileged", disabled: true });
    expect(r.policies.filter((p) => p.disabled)).toHaveLength(1);
  });

  it("accepts a restricted set of built-ins", () => {
    const r = compilePolicySet([], { withBuiltins: true, builtins: BUILTIN_POLICIES.slice(0, 2) });
    expect(r.ok && r.policies.map((p) => p.id)).toEqual(["no-privileged", "no-privilege-escalation"]);
    expect(compilePolicy({ id: "no-malware" }, { builtins: BUILTIN_POLICIES.slice(0, 2) }).ok).toBe(false);
  });
});
