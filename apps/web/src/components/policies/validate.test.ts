import { describe, expect, it } from "vitest";
import { draftErrors } from "./validate.ts";

describe("draftErrors", () => {
  it("is empty for a valid draft", () => {
    expect(draftErrors({ id: "ok", name: "Ok", severity: "LOW", rule: { type: "cel", expression: "true" } })).toEqual([]);
  });

  it("shows CEL errors with line and column while the key and name are still empty", () => {
    const errors = draftErrors({ id: "", rule: { type: "cel", expression: "true &&\ncontainer.image ===" } });
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(["id", "rule.expression"]));
    const cel = errors.find((e) => e.path === "rule.expression")!;
    expect(cel.line).toBe(2);
    expect(cel.column).toBeGreaterThan(1);
  });

  it("shows criteria errors alongside metadata errors, each once", () => {
    const errors = draftErrors({
      id: "Bad Key",
      rule: { type: "criteria", sections: [{ conditions: [{ field: "container.securityContext.runAsUser", operator: "equals", values: ["abc"] }] }] },
    });
    expect(errors.filter((e) => e.path === "rule.sections[0].conditions[0].values[0]")).toHaveLength(1);
    expect(errors.some((e) => e.path === "id")).toBe(true);
  });

  it("reports schema errors of the rule once even though both compiles see them", () => {
    const errors = draftErrors({ id: "x", name: "X", severity: "LOW", rule: { type: "cel", expression: "" } });
    expect(errors).toEqual([{ path: "rule.expression", message: "must not be empty" }]);
  });
});
