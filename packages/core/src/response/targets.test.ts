import { compilePolicy } from "@bulwark/policy";
import { describe, expect, it } from "vitest";
import { activeResponse, postureTarget, runtimeTarget, targetKey } from "./targets.ts";

// Which object an action targets, and when a policy acts at all: only what the enforcer can carry out
// is ever requested.

const policy = (extra: Record<string, unknown>) => {
  const r = compilePolicy({ id: "no-privileged", ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
};

describe("activeResponse", () => {
  it("acts only where the effective enforcement is ENFORCE, and never for a disabled policy", () => {
    const response = { action: "SCALE_TO_ZERO" };
    expect(activeResponse(policy({ enforcement: "ENFORCE", response }), "prod")).toEqual(response);
    expect(activeResponse(policy({ enforcement: "WARN", response }), "prod")).toBeUndefined();
    expect(activeResponse(policy({ enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE" }, response }), "prod")).toEqual(response);
    expect(activeResponse(policy({ enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE" }, response }), "staging")).toBeUndefined();
    expect(activeResponse(policy({ enforcement: "ENFORCE", clusterEnforcement: { prod: "AUDIT" }, response }), "prod")).toBeUndefined();
    expect(activeResponse(policy({ enforcement: "ENFORCE", disabled: true, response }), "prod")).toBeUndefined();
    expect(activeResponse(policy({ enforcement: "ENFORCE" }), "prod")).toBeUndefined();
  });
});

describe("targets", () => {
  it.each([
    ["DELETE_POD", "Pod", 1, { action: "DELETE_POD", kind: "Pod", name: "w", pod: "w" }],
    ["DELETE_POD", "Deployment", 3, null],
    ["SCALE_TO_ZERO", "Deployment", 3, { action: "SCALE_TO_ZERO", kind: "Deployment", name: "w", pod: null }],
    ["SCALE_TO_ZERO", "StatefulSet", null, { action: "SCALE_TO_ZERO", kind: "StatefulSet", name: "w", pod: null }],
    ["SCALE_TO_ZERO", "ReplicaSet", 2, { action: "SCALE_TO_ZERO", kind: "ReplicaSet", name: "w", pod: null }],
    ["SCALE_TO_ZERO", "Deployment", 0, null],
    ["SCALE_TO_ZERO", "DaemonSet", 5, null],
    ["SCALE_TO_ZERO", "Job", 1, null],
    ["SCALE_TO_ZERO", "Pod", 1, null],
  ] as const)("posture %s on a %s with %s replicas → %j", (action, kind, replicas, expected) => {
    expect(postureTarget(action, { kind, name: "w", replicas })).toEqual(expected);
  });

  it("runtime DELETE_POD needs the event's pod; SCALE_TO_ZERO scales the workload", () => {
    expect(runtimeTarget("DELETE_POD", { kind: "Deployment", name: "web" }, "web-abc")).toEqual({ action: "DELETE_POD", kind: "Deployment", name: "web", pod: "web-abc" });
    expect(runtimeTarget("DELETE_POD", { kind: "Deployment", name: "web" }, null)).toBeNull();
    expect(runtimeTarget("SCALE_TO_ZERO", { kind: "Deployment", name: "web", replicas: 2 }, "web-abc")).toEqual({ action: "SCALE_TO_ZERO", kind: "Deployment", name: "web", pod: null });
    expect(runtimeTarget("SCALE_TO_ZERO", { kind: "DaemonSet", name: "agent" }, "agent-x")).toBeNull();
  });

  it("keys a target by policy, cluster, namespace, kind, name and pod", () => {
    const base = { policyKey: "p", clusterId: "c", namespace: "n", kind: "Deployment", name: "w", pod: null };
    expect(targetKey(base)).toBe(targetKey({ ...base }));
    for (const change of [{ policyKey: "q" }, { clusterId: "d" }, { namespace: "m" }, { kind: "StatefulSet" }, { name: "v" }, { pod: "w-1" }]) {
      expect(targetKey({ ...base, ...change })).not.toBe(targetKey(base));
    }
  });
});
