import { describe, expect, it } from "vitest";
import { describeCondition, errorsAt, fieldHint, operatorArity, overrideSummary, relativePath } from "./describe.ts";

describe("describe helpers", () => {
  it("renders conditions readably", () => {
    expect(describeCondition({ field: "container.securityContext.runAsUser", operator: "equals", values: [0] })).toBe("container.securityContext.runAsUser equals 0");
    expect(describeCondition({ field: "container.image.registry", operator: "notIn", values: ["ghcr.io", "quay.io"] })).toBe('container.image.registry is none of ["ghcr.io", "quay.io"]');
    expect(describeCondition({ field: "pod.hostNetwork", operator: "exists", values: [] })).toBe("pod.hostNetwork is set");
  });

  it("knows each operator's arity", () => {
    expect(["exists", "equals", "in", "matches", "lte"].map(operatorArity)).toEqual(["none", "one", "many", "many", "one"]);
  });

  it("describes catalog fields with type, default and allowed values", () => {
    expect(fieldHint("container.securityContext.privileged")).toBe("boolean — Runs privileged. (default false)");
    expect(fieldHint("container.imagePullPolicy")).toContain("one of Always, IfNotPresent, Never");
    expect(fieldHint("nope")).toBeUndefined();
  });

  it("summarizes per-cluster overrides in name order", () => {
    expect(overrideSummary({ staging: "WARN", "prod-eu": "ENFORCE" })).toBe("prod-eu ENFORCE, staging WARN");
    expect(overrideSummary({ c: "WARN", a: "AUDIT", b: "ENFORCE" }, 2)).toBe("a AUDIT, b ENFORCE, +1 more");
    expect(overrideSummary(undefined)).toBe("");
  });

  it("maps server paths onto the editor's and selects errors under a path", () => {
    expect(relativePath("definition.rule.expression")).toBe("rule.expression");
    expect(relativePath("definition[0]")).toBe("[0]");
    expect(relativePath("definition")).toBe("");
    expect(relativePath("message")).toBe("message");
    const errs = [{ path: "scope" }, { path: "scope.labelSelector.matchExpressions[0].values" }, { path: "scopes" }, { path: "exclusions[1]" }];
    expect(errorsAt(errs, "scope").map((e) => e.path)).toEqual(["scope", "scope.labelSelector.matchExpressions[0].values"]);
    expect(errorsAt(errs, "scope", true).map((e) => e.path)).toEqual(["scope"]);
    expect(errorsAt(errs, "exclusions").map((e) => e.path)).toEqual(["exclusions[1]"]);
  });
});
