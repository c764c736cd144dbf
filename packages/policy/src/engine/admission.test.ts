import { describe, expect, it } from "vitest";
import { decideAdmission, effectiveEnforcement } from "./admission.ts";
import { evaluate } from "./evaluate.ts";
import { cel, deployment, inputFor } from "./testing.ts";

const input = inputFor(deployment([{ name: "app", image: "x", securityContext: { privileged: true } }]));
const failing = (id: string, enforcement: string, expression = "container.securityContext.privileged") =>
  cel(expression, { id, name: `Policy ${id}`, enforcement, rule: { type: "cel", expression, message: `${id} violated` } });

describe("decideAdmission", () => {
  it("allows when nothing fails", () => {
    const policies = [failing("p", "ENFORCE", "false")];
    expect(decideAdmission(evaluate(policies, input), policies)).toEqual({ allowed: true, warnings: [], denials: [], audits: [], message: "" });
  });

  it("denies on ENFORCE failures, with a message naming policy and container", () => {
    const policies = [failing("enf", "ENFORCE")];
    const d = decideAdmission(evaluate(policies, input), policies);
    expect(d.allowed).toBe(false);
    expect(d.denials).toEqual([{ policyId: "enf", policyName: "Policy enf", severity: "HIGH", violations: [{ message: "enf violated", container: "app", path: "spec.template.spec.containers[0]" }] }]);
    expect(d.message).toBe("denied by Bulwark: [enf] enf violated (container app)");
  });

  it("warns on WARN failures and only records AUDIT ones", () => {
    const policies = [failing("w", "WARN"), failing("a", "AUDIT")];
    const d = decideAdmission(evaluate(policies, input), policies);
    expect(d.allowed).toBe(true);
    expect(d.warnings).toEqual(["[w] w violated (container app)"]);
    expect(d.audits.map((a) => a.policyId)).toEqual(["a"]);
    expect(d.message).toBe("");
  });

  it("applies a per-cluster enforcement override for the request's cluster only", () => {
    const policies = [cel("container.securityContext.privileged", { id: "roll", name: "Roll", enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE", staging: "WARN" }, rule: { type: "cel", expression: "container.securityContext.privileged", message: "roll violated" } })];
    const on = (cluster: string | undefined) => {
      const i = { ...input, ...(cluster ? { cluster } : {}) };
      return decideAdmission(evaluate(policies, i), policies, [], i);
    };
    expect(on("prod").allowed).toBe(false);
    expect(on("staging")).toMatchObject({ allowed: true, warnings: ["[roll] roll violated (container app)"] });
    expect(on("dev")).toMatchObject({ allowed: true, warnings: [], audits: [{ policyId: "roll" }] });
    expect(on(undefined).audits).toHaveLength(1);
    expect(effectiveEnforcement(policies[0]!, "prod")).toBe("ENFORCE");
    expect(effectiveEnforcement(policies[0]!, "other")).toBe("AUDIT");
  });

  it("does not repeat the container when the message already names it", () => {
    const policies = [cel("container.securityContext.privileged", { id: "w", enforcement: "WARN", rule: { type: "cel", expression: "true", message: 'container "app" is bad' } })];
    expect(decideAdmission(evaluate(policies, input), policies).warnings).toEqual(['[w] container "app" is bad']);
  });

  it("fails closed on errors of ENFORCE policies unless onError is warn", () => {
    const policies = [failing("broken", "ENFORCE", "object.nope == 1")];
    const results = evaluate(policies, input);
    const closed = decideAdmission(results, policies);
    expect(closed.allowed).toBe(false);
    expect(closed.message).toMatch(/^denied by Bulwark: \[broken\] Policy broken: could not be evaluated: No such key: nope/);
    const open = decideAdmission(results, policies, [], undefined, { onError: "warn" });
    expect(open.allowed).toBe(true);
    expect(open.warnings[0]).toMatch(/^\[broken\] Policy broken: could not be evaluated/);
  });

  it("waives with exceptions before deciding", () => {
    const policies = [failing("enf", "ENFORCE")];
    const results = evaluate(policies, input);
    expect(decideAdmission(results, policies, [{ policyId: "enf", container: "app" }], input).allowed).toBe(true);
    expect(decideAdmission(results, policies, [{ policyId: "enf", container: "other" }], input).allowed).toBe(false);
    expect(() => decideAdmission(results, policies, [{ policyId: "enf" }])).toThrow(/need the evaluated input/);
  });

  it("ignores results of policies it was not given, and clips long warnings", () => {
    const long = "x".repeat(400);
    const policies = [cel("true", { id: "w", enforcement: "WARN", rule: { type: "cel", expression: "true", message: long } })];
    const results = evaluate(policies, input);
    expect(decideAdmission(results, []).warnings).toEqual([]);
    const [warning] = decideAdmission(results, policies).warnings;
    expect(warning).toHaveLength(256);
    expect(warning?.endsWith("…")).toBe(true);
  });
});
