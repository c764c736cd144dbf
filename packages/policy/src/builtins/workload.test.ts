import { describe, expect, it } from "vitest";
import { cronJob, deployment, pod, run, where } from "./testing.ts";
import { automountServiceAccountToken, resourceLimits } from "./workload.ts";

const limited = (name: string, limits: object) => ({ name, image: "x:1", resources: { limits } });

describe("resource-limits", () => {
  it("passes when every regular container limits cpu and memory", () => {
    expect(run(resourceLimits, pod({ containers: [limited("a", { cpu: "500m", memory: "256Mi" }), limited("b", { cpu: 1, memory: 268435456 })] }))).toEqual([]);
  });

  it("flags each missing limit at its field", () => {
    const v = run(resourceLimits, deployment({ containers: [{ name: "a", image: "x:1" }, limited("b", { cpu: "1" }), { name: "c", image: "x:1", resources: { requests: { memory: "1Gi" } } }] }));
    expect(where(v)).toEqual([
      ["a", "spec.template.spec.containers[0].resources.limits.cpu"],
      ["a", "spec.template.spec.containers[0].resources.limits.memory"],
      ["b", "spec.template.spec.containers[1].resources.limits.memory"],
      ["c", "spec.template.spec.containers[2].resources.limits.cpu"],
      ["c", "spec.template.spec.containers[2].resources.limits.memory"],
    ]);
    expect(v[0]?.evidence).toBe("limits.cpu: not set");
  });

  it("treats zero and empty limits as none", () => {
    expect(where(run(resourceLimits, cronJob({ containers: [limited("a", { cpu: "0", memory: "" })] })))).toEqual([
      ["a", "spec.jobTemplate.spec.template.spec.containers[0].resources.limits.cpu"],
      ["a", "spec.jobTemplate.spec.template.spec.containers[0].resources.limits.memory"],
    ]);
    expect(run(resourceLimits, pod({ containers: [limited("a", { cpu: 0, memory: "1Gi" })] }))).toHaveLength(1);
  });

  it("does not judge init and ephemeral containers", () => {
    const spec = { containers: [limited("a", { cpu: "1", memory: "1Gi" })], initContainers: [{ name: "i", image: "x:1" }], ephemeralContainers: [{ name: "e", image: "x:1" }] };
    expect(run(resourceLimits, pod(spec))).toEqual([]);
  });

  it("returns nothing for non-pod resources", () => {
    expect(run(resourceLimits, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: {} })).toEqual([]);
  });
});

describe("automount-service-account-token", () => {
  it("passes an explicit false", () => {
    expect(run(automountServiceAccountToken, pod({ automountServiceAccountToken: false, containers: [{ name: "a", image: "x:1" }] }))).toEqual([]);
  });

  it("flags an unset field, naming the service account", () => {
    const v = run(automountServiceAccountToken, deployment({ serviceAccountName: "api", containers: [{ name: "a", image: "x:1" }] }));
    expect(where(v)).toEqual([[undefined, "spec.template.spec.automountServiceAccountToken"]]);
    expect(v[0]?.message).toContain('"api"');
    expect(v[0]?.evidence).toBe("automountServiceAccountToken is not set (service account api)");
  });

  it("flags true and defaults the account name", () => {
    const v = run(automountServiceAccountToken, cronJob({ automountServiceAccountToken: true, containers: [{ name: "a", image: "x:1" }] }));
    expect(where(v)).toEqual([[undefined, "spec.jobTemplate.spec.template.spec.automountServiceAccountToken"]]);
    expect(v[0]?.message).toContain('"default"');
    expect(v[0]?.evidence).toBe("automountServiceAccountToken is true");
  });

  it("returns nothing for non-pod resources (a ServiceAccount is not judged here)", () => {
    expect(run(automountServiceAccountToken, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa" } })).toEqual([]);
  });
});
