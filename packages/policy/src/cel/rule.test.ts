import { describe, expect, it } from "vitest";
import { evaluate } from "../engine/evaluate.ts";
import { cel, deployment, inputFor, podObject } from "../engine/testing.ts";
import type { ImageFacts } from "../types.ts";

// CEL rules judged through the engine: the expression describes the violating state.

const privileged = { name: "bad", image: "nginx:1.27", securityContext: { privileged: true, runAsUser: 0 } };
const fine = { name: "ok", image: "ghcr.io/acme/api:1", securityContext: { runAsUser: 1000 } };

function facts(ref: string, extra: Partial<ImageFacts> = {}): ImageFacts {
  return {
    ref,
    vulnerabilities: { critical: 2, high: 0, medium: 0, low: 0, fixableCritical: 1, fixableHigh: 0 },
    malware: { detected: false, signatures: [] },
    signature: { verified: false },
    ...extra,
  };
}

describe("CEL rules", () => {
  it("true is a violation, false a pass", () => {
    const input = inputFor(deployment([fine]));
    expect(evaluate([cel("resource.kind == 'Deployment'")], input)[0]).toMatchObject({ status: "fail", violations: [{ message: "Test policy" }] });
    expect(evaluate([cel("resource.kind == 'Pod'")], input)[0]).toEqual({ policyId: "cel-test", status: "pass", passed: true, violations: [] });
  });

  it("uses the rule's message when it has one", () => {
    const p = cel("true", { rule: { type: "cel", expression: "true", message: "no, just no" } });
    expect(evaluate([p], inputFor(deployment([fine])))[0]?.violations[0]?.message).toBe("no, just no");
  });

  it("names the offending containers of a top-level containers.exists", () => {
    const input = inputFor(deployment([fine, privileged], { initContainers: [{ ...privileged, name: "init" }] }));
    const [result] = evaluate([cel("containers.exists(c, has(c.securityContext.privileged) && c.securityContext.privileged)")], input);
    expect(result?.violations).toEqual([
      { message: "Test policy", container: "bad", path: "spec.template.spec.containers[1]" },
      { message: "Test policy", container: "init", path: "spec.template.spec.initContainers[0]" },
    ]);
  });

  it("attributes through object paths and pod spec lists too (the issue's example)", () => {
    const expr = "object.spec.containers.exists(c, has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged)";
    const [result] = evaluate([cel(expr)], inputFor(podObject([fine, privileged])));
    expect(result?.violations).toEqual([{ message: "Test policy", container: "bad", path: "spec.containers[1]" }]);
    const [init] = evaluate([cel("podSpec.initContainers.exists(c, c.name == 'init')")], inputFor(deployment([fine], { initContainers: [{ name: "init", image: "x" }] })));
    expect(init?.violations[0]).toMatchObject({ container: "init", path: "spec.template.spec.initContainers[0]" });
  });

  it("stays resource-level when the exists is over something other than containers", () => {
    const input = inputFor(podObject([fine], { volumes: [{ name: "h", hostPath: { path: "/" } }] }));
    expect(evaluate([cel("podSpec.volumes.exists(v, has(v.hostPath))")], input)[0]?.violations).toEqual([{ message: "Test policy" }]);
  });

  it("evaluates rules over `container` once per container", () => {
    const input = inputFor(deployment([privileged, fine, { ...privileged, name: "bad2" }]));
    const [result] = evaluate([cel("has(container.securityContext.privileged) && container.securityContext.privileged")], input);
    expect(result?.violations.map((v) => v.container)).toEqual(["bad", "bad2"]);
  });

  it("treats JSON numbers as CEL doubles: comparisons with ints work, arithmetic needs int()", () => {
    const input = inputFor(deployment([privileged]));
    expect(evaluate([cel("container.securityContext.runAsUser == 0")], input)[0]?.status).toBe("fail");
    expect(evaluate([cel("container.securityContext.runAsUser < 1")], input)[0]?.status).toBe("fail");
    expect(evaluate([cel("int(container.securityContext.runAsUser) + 1 == 1")], input)[0]?.status).toBe("fail");
    const mixed = evaluate([cel("container.securityContext.runAsUser + 1 == 1")], input)[0];
    expect(mixed?.status).toBe("error");
    expect(mixed?.error).toMatch(/no such overload/);
  });

  it("reads optional fields with .? and orValue()", () => {
    const input = inputFor(deployment([{ name: "a", image: "x" }]));
    expect(evaluate([cel("container.?securityContext.?runAsNonRoot.orValue(false) == false")], input)[0]?.status).toBe("fail");
  });

  it("skips containers without image facts for rules that read `image`", () => {
    const input = inputFor(deployment([{ name: "a", image: "nginx:1" }, { name: "b", image: "redis:7" }]), { images: { "nginx:1": facts("nginx:1") } });
    const [result] = evaluate([cel("image.vulnerabilities.fixableCritical > 0 && image.registry == 'docker.io' && image.repository == 'library/nginx' && image.tag == '1'")], input);
    expect(result?.violations.map((v) => v.container)).toEqual(["a"]);
    expect(evaluate([cel("!image.signature.verified")], inputFor(deployment([{ name: "a", image: "x" }])))[0]?.status).toBe("pass");
  });

  it("does not find image facts through Object.prototype", () => {
    const input = inputFor(deployment([{ name: "a", image: "constructor" }]));
    expect(evaluate([cel("image.malware.detected")], input)[0]?.status).toBe("pass");
  });

  it("only evaluates rules that read `request` at admission", () => {
    const p = cel("request.userInfo.username == 'mallory'");
    const object = deployment([fine]);
    expect(evaluate([p], inputFor(object))[0]?.status).toBe("pass");
    const request = { operation: "CREATE" as const, userInfo: { username: "mallory", groups: [] } };
    expect(evaluate([p], inputFor(object, { request }))[0]?.status).toBe("fail");
  });

  it("exposes normalized metadata, pod labels and settings", () => {
    const input = inputFor(deployment([fine], { podLabels: { team: "core" } }), { cluster: "prod-eu" });
    const p = cel("resource.podLabels.team == 'core' && resource.cluster == 'prod-eu' && resource.namespace == 'prod' && 'ghcr.io' in settings.trustedRegistries");
    expect(evaluate([p], input)[0]?.status).toBe("fail");
  });

  it("gives pod-less resources an empty podSpec and no containers instead of errors", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { type: "NodePort" } };
    expect(evaluate([cel("has(podSpec.hostNetwork) || containers.exists(c, true)")], inputFor(svc))[0]?.status).toBe("pass");
    expect(evaluate([cel("object.spec.type == 'NodePort' && resource.namespace == ''")], inputFor(svc))[0]?.status).toBe("fail");
  });

  it("turns a runtime error into an error result for that policy only", () => {
    const input = inputFor(deployment([fine]));
    const results = evaluate([cel("object.spec.nope == 1"), cel("true", { id: "other" })], input);
    expect(results[0]).toMatchObject({ policyId: "cel-test", status: "error", passed: false, violations: [] });
    expect(results[0]?.error).toMatch(/No such key: nope/);
    expect(results[1]).toMatchObject({ policyId: "other", status: "fail" });
  });

  it("reports a non-bool result at runtime as an error", () => {
    const [result] = evaluate([cel("object.metadata.name")], inputFor(deployment([fine])));
    expect(result).toMatchObject({ status: "error", error: "the CEL expression returned string instead of a bool" });
  });

  it("cannot reach Object.prototype through field access", () => {
    const [result] = evaluate([cel("has(object.constructor)")], inputFor(deployment([fine])));
    expect(result?.status).toBe("pass");
  });

  it("shares one activation between rules and still gives each the variables it reads", () => {
    const input = inputFor(deployment([privileged]));
    const results = evaluate([cel("containers.size() == 1", { id: "a" }), cel("resource.name == 'web'", { id: "b" }), cel("container.name == 'bad' && resource.kind == 'Deployment'", { id: "c" })], input);
    expect(results.map((r) => r.status)).toEqual(["fail", "fail", "fail"]);
  });
});
