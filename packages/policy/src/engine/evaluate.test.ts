import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES } from "../builtins/index.ts";
import { compileBuiltin, compilePolicySet } from "../model/compile.ts";
import type { BuiltinPolicy } from "../types.ts";
import { evaluate } from "./evaluate.ts";
import { cel, deployment, inputFor, policy } from "./testing.ts";

const input = inputFor(deployment([{ name: "app", image: "nginx", securityContext: { privileged: true } }], { namespace: "prod" }));

function fakeBuiltin(check: BuiltinPolicy["check"]): BuiltinPolicy {
  return { ...BUILTIN_POLICIES[0]!, id: "fake", check };
}

describe("evaluate", () => {
  it("returns one result per applicable policy, in policy order", () => {
    const results = evaluate([cel("true", { id: "a" }), cel("false", { id: "b" })], input);
    expect(results.map((r) => [r.policyId, r.status])).toEqual([
      ["a", "fail"],
      ["b", "pass"],
    ]);
  });

  it("skips disabled policies, other stages and out-of-scope resources", () => {
    const policies = [
      cel("true", { id: "disabled", disabled: true }),
      cel("true", { id: "runtime-only", stages: ["RUNTIME"] }),
      cel("true", { id: "dev-only", scope: { namespaces: ["dev"] } }),
      cel("true", { id: "excluded", exclusions: [{ kinds: ["Deployment"] }] }),
      cel("true", { id: "build", stages: ["BUILD", "DEPLOY"] }),
    ];
    expect(evaluate(policies, input, { stage: "BUILD" }).map((r) => r.policyId)).toEqual(["build"]);
    expect(evaluate(policies, input).map((r) => r.policyId)).toEqual(["runtime-only", "build"]);
  });

  it("runs built-ins through their native check", () => {
    const set = compilePolicySet([], { withBuiltins: true });
    if (!set.ok) throw new Error();
    const results = evaluate(set.policies, input);
    expect(results.find((r) => r.policyId === "no-privileged")).toMatchObject({ status: "fail", violations: [{ container: "app", path: "spec.template.spec.containers[0].securityContext.privileged" }] });
    // No image facts (as in CI): image-fact built-ins do not fail.
    for (const id of ["no-fixable-critical-vulns", "no-malware", "require-signed-images", "image-scanned-recently"]) {
      expect(results.find((r) => r.policyId === id)?.status).toBe("pass");
    }
    expect(results.every((r) => r.status !== "error")).toBe(true);
  });

  it("isolates a check that throws into an error result", () => {
    const boom = compileBuiltin(
      fakeBuiltin(() => {
        throw new Error("bug in check\nstack details");
      }),
    );
    const results = evaluate([boom, cel("true", { id: "next" })], input);
    expect(results[0]).toEqual({ policyId: "fake", status: "error", passed: false, violations: [], error: "bug in check" });
    expect(results[1]?.status).toBe("fail");
  });

  it("masks secrets in the evidence of criteria rules (raw field values)", () => {
    const annotated = deployment([{ name: "app", image: "nginx" }], { pod: {} });
    (annotated["metadata"] as Record<string, unknown>)["annotations"] = { "ci/token": "ghp_0123456789abcdefghijABCDEFGHIJ0123", owner: "team-a" };
    const p = policy({ id: "owner", rule: { type: "criteria", sections: [{ conditions: [{ field: "resource.annotations", operator: "contains", values: ["owner"] }] }] } });
    const [result] = evaluate([p], inputFor(annotated));
    expect(result?.violations[0]?.evidence).toBe("resource.annotations={ci/token=ghp_********, owner=team-a}");
  });

  it("leaves built-in evidence as the check masked it (built-ins mask their own)", () => {
    const builtin = compileBuiltin(fakeBuiltin(() => [{ message: "m", evidence: "DB_PASSWORD=hunt********" }]));
    expect(builtin.masksEvidence).toBe(true);
    expect(evaluate([builtin], input)[0]?.violations[0]?.evidence).toBe("DB_PASSWORD=hunt********");
  });

  it("does not need image facts, a request or a cluster", () => {
    const bare = inputFor({ apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } });
    const set = compilePolicySet([], { withBuiltins: true });
    if (!set.ok) throw new Error();
    expect(evaluate(set.policies, bare).filter((r) => r.status !== "pass")).toEqual([]);
  });
});
