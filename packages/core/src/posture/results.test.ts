import { describe, expect, it } from "vitest";
import { type EvaluationInput, toResource } from "@bulwark/policy";
import { practiceFlags, pssLevelOf, toWorkloadPolicyResult } from "./results.ts";

const meta = { id: "no-privileged", name: "No privileged containers", severity: "CRITICAL" as const, category: "Privileges" };

function input(podSpec: Record<string, unknown>, trustedRegistries: string[] = []): EvaluationInput {
  return {
    resource: toResource({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "ns" }, spec: podSpec }),
    images: {},
    settings: { trustedRegistries, allowedDeployers: [], maxScanAgeHours: 168, now: "2026-11-29T00:00:00Z" },
  };
}

describe("toWorkloadPolicyResult", () => {
  it("pass, fail (first message, more, containers), error", () => {
    expect(toWorkloadPolicyResult(meta, { policyId: "no-privileged", status: "pass", passed: true, violations: [] })).toEqual({ policy: "no-privileged", title: "No privileged containers", severity: "CRITICAL", category: "Privileges", result: "pass" });
    const fail = toWorkloadPolicyResult(meta, {
      policyId: "no-privileged",
      status: "fail",
      passed: false,
      violations: [{ message: "b runs privileged", container: "b" }, { message: "a runs privileged", container: "a" }, { message: "pod-level" }],
    });
    expect(fail).toMatchObject({ result: "fail", message: "b runs privileged (+2 more)", containers: ["a", "b"] });
    expect(toWorkloadPolicyResult(meta, { policyId: "no-privileged", status: "error", passed: false, violations: [], error: "no such key: x" })).toMatchObject({ result: "error", message: "Could not be evaluated: no such key: x" });
  });

  it("skip when exceptions waived every violation; warn for INFO policies; no containers key for pod-level violations", () => {
    const waived = toWorkloadPolicyResult(meta, { policyId: "no-privileged", status: "pass", passed: true, violations: [], waived: [{ message: "x", exception: "ex2" }, { message: "y", exception: "ex1" }] });
    expect(waived).toMatchObject({ result: "skip", message: "Waived by exception ex1, ex2" });
    const info = toWorkloadPolicyResult({ ...meta, severity: "INFO" }, { policyId: "no-privileged", status: "fail", passed: false, violations: [{ message: "m" }] });
    expect(info).toEqual({ policy: "no-privileged", title: "No privileged containers", severity: "INFO", category: "Privileges", result: "warn", message: "m" });
  });
});

describe("pssLevelOf and practiceFlags", () => {
  const restricted = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "a", image: "ghcr.io/acme/a:1", securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } }],
  };
  it("restricted, baseline, privileged", () => {
    expect(pssLevelOf(input(restricted).resource)).toBe("restricted");
    expect(pssLevelOf(input({ containers: [{ name: "a", image: "nginx" }] }).resource)).toBe("baseline");
    expect(pssLevelOf(input({ hostNetwork: true, containers: [{ name: "a", image: "nginx" }] }).resource)).toBe("privileged");
  });
  it("flags from the built-ins; trusted images null without trusted registries", () => {
    expect(practiceFlags(input(restricted, ["ghcr.io/acme"]))).toEqual({ nonRoot: true, readOnlyRootFs: true, trustedImages: true });
    expect(practiceFlags(input(restricted))).toEqual({ nonRoot: true, readOnlyRootFs: true, trustedImages: null });
    const escalating = { ...restricted, containers: [{ ...restricted.containers[0]!, securityContext: { readOnlyRootFilesystem: true } }] };
    expect(practiceFlags(input(escalating, ["quay.io"]))).toEqual({ nonRoot: false, readOnlyRootFs: true, trustedImages: false });
  });
});
