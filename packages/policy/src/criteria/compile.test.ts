import { describe, expect, it } from "vitest";
import { createContext } from "../engine/context.ts";
import { evaluate } from "../engine/evaluate.ts";
import { deployment, inputFor, podObject, policy } from "../engine/testing.ts";
import type { EvaluationInput, ImageFacts } from "../types.ts";
import { ACCESSORS } from "./accessors.ts";
import { FIELD_CATALOG } from "./catalog.ts";
import { compileCriteria } from "./compile.ts";

type Cond = { field: string; operator: string; values?: (string | number | boolean)[] };
const criteria = (...sections: Cond[][]) => policy({ id: "crit", name: "Crit", rule: { type: "criteria", sections: sections.map((conditions) => ({ conditions })) } });
const run = (p: ReturnType<typeof criteria>, input: EvaluationInput) => evaluate([p], input)[0]!;

describe("criteria: same-container semantics", () => {
  const root = { name: "root", image: "docker.io/library/nginx:1", securityContext: { runAsUser: 0 } };
  const trusted = { name: "trusted", image: "ghcr.io/acme/api:1", securityContext: { runAsUser: 0 } };
  const user = { name: "user", image: "docker.io/library/redis:7", securityContext: { runAsUser: 1000 } };

  it("requires container conditions of one section to hold for the same container", () => {
    const p = criteria([
      { field: "container.securityContext.runAsUser", operator: "equals", values: [0] },
      { field: "container.image.registry", operator: "notEquals", values: ["ghcr.io"] },
    ]);
    // trusted runs as root but from ghcr.io; user is from docker.io but not root: neither matches alone.
    expect(run(p, inputFor(deployment([trusted, user]))).status).toBe("pass");
    const result = run(p, inputFor(deployment([trusted, user, root])));
    expect(result.violations).toEqual([
      {
        message: "Crit: container.securityContext.runAsUser equals 0 and container.image.registry notEquals ghcr.io",
        container: "root",
        path: "spec.template.spec.containers[2].securityContext.runAsUser",
        evidence: "container.securityContext.runAsUser=0; container.image.registry=docker.io",
      },
    ]);
  });

  it("gives one violation per matching container, init containers included", () => {
    const p = criteria([{ field: "container.securityContext.runAsUser", operator: "equals", values: [0] }]);
    const result = run(p, inputFor(deployment([root, user], { initContainers: [{ ...root, name: "init" }] })));
    expect(result.violations.map((v) => [v.container, v.path])).toEqual([
      ["root", "spec.template.spec.containers[0].securityContext.runAsUser"],
      ["init", "spec.template.spec.initContainers[0].securityContext.runAsUser"],
    ]);
  });

  it("ANDs resource and pod conditions with the container ones", () => {
    const p = criteria([
      { field: "resource.namespace", operator: "equals", values: ["prod"] },
      { field: "pod.hostNetwork", operator: "equals", values: [true] },
      { field: "container.name", operator: "equals", values: ["root"] },
    ]);
    expect(run(p, inputFor(deployment([root]))).status).toBe("pass");
    const result = run(p, inputFor(deployment([root], { pod: { hostNetwork: true } })));
    expect(result.violations[0]).toMatchObject({ container: "root", evidence: "container.name=root; resource.namespace=prod; pod.hostNetwork=true" });
    expect(run(p, inputFor(deployment([root], { pod: { hostNetwork: true }, namespace: "dev" }))).status).toBe("pass");
  });

  it("ORs sections and names each container once", () => {
    const p = criteria(
      [{ field: "container.securityContext.runAsUser", operator: "equals", values: [0] }],
      [{ field: "container.image.registry", operator: "equals", values: ["docker.io"] }],
    );
    const result = run(p, inputFor(deployment([root, trusted, user])));
    expect(result.violations.map((v) => v.container)).toEqual(["root", "trusted", "user"]);
    expect(result.violations[2]?.message).toBe("Crit: container.image.registry equals docker.io");
  });

  it("gives a resource-level violation for sections without container conditions", () => {
    const p = criteria([{ field: "pod.hostPID", operator: "equals", values: [true] }], [{ field: "resource.labels", operator: "notContains", values: ["team"] }]);
    const result = run(p, inputFor(deployment([user], { pod: { hostPID: true } })));
    expect(result.violations).toEqual([{ message: "Crit: pod.hostPID equals true", path: "spec.template.spec.hostPID", evidence: "pod.hostPID=true" }]);
  });

  it("does not apply pod fields to pod-less resources", () => {
    const p = criteria([{ field: "pod.hostNetwork", operator: "notEquals", values: [true] }]);
    expect(run(p, inputFor({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })).status).toBe("pass");
    expect(run(p, inputFor(podObject([user]))).status).toBe("fail");
  });
});

describe("criteria: facts and admission", () => {
  const facts: ImageFacts = {
    ref: "nginx:1",
    scannedAt: "2026-01-14T12:00:00Z",
    vulnerabilities: { critical: 3, high: 1, medium: 0, low: 0, fixableCritical: 2, fixableHigh: 0, ids: ["CVE-2025-1"] },
    malware: { detected: false, signatures: [] },
    signature: { verified: false },
  };

  it("image conditions do not hold without scan facts, except image.scanned", () => {
    const p = criteria([{ field: "image.signature.verified", operator: "notEquals", values: [true] }]);
    const input = inputFor(deployment([{ name: "a", image: "nginx:1" }, { name: "b", image: "redis:7" }]), { images: { "nginx:1": facts } });
    expect(run(p, input).violations.map((v) => v.container)).toEqual(["a"]);
    const unscanned = criteria([{ field: "image.scanned", operator: "equals", values: [false] }]);
    expect(run(unscanned, input).violations.map((v) => v.container)).toEqual(["b"]);
  });

  it("reads vulnerability counts, ids and scan age", () => {
    const input = inputFor(deployment([{ name: "a", image: "nginx:1" }]), { images: { "nginx:1": facts } });
    expect(run(criteria([{ field: "image.vulnerabilities.fixableCritical", operator: "gt", values: [0] }]), input).status).toBe("fail");
    expect(run(criteria([{ field: "image.vulnerabilities.ids", operator: "contains", values: ["CVE-2025-1"] }]), input).status).toBe("fail");
    expect(run(criteria([{ field: "image.scanAgeHours", operator: "equals", values: [24] }]), input).status).toBe("fail");
    expect(run(criteria([{ field: "image.registry", operator: "equals", values: ["docker.io"] }]), input).status).toBe("fail");
  });

  it("request conditions only hold at admission", () => {
    const p = criteria([{ field: "request.userInfo.username", operator: "notIn", values: ["ci"] }]);
    const object = deployment([{ name: "a", image: "x" }]);
    expect(run(p, inputFor(object)).status).toBe("pass");
    expect(run(p, inputFor(object, { request: { operation: "CREATE", userInfo: { username: "eve", groups: ["dev"] } } })).violations[0]).toEqual({
      message: "Crit: request.userInfo.username notIn ci",
      path: undefined,
      evidence: "request.userInfo.username=eve",
    });
  });
});

describe("criteria: fields", () => {
  it("catalog and accessors list the same fields", () => {
    expect(Object.keys(ACCESSORS).sort()).toEqual(FIELD_CATALOG.map((f) => f.id).sort());
    expect(new Set(FIELD_CATALOG.map((f) => f.id)).size).toBe(FIELD_CATALOG.length);
  });

  it("reads every field from a full manifest", () => {
    const object = deployment(
      [
        {
          name: "app",
          image: "ghcr.io/acme/api@sha256:" + "a".repeat(64),
          imagePullPolicy: "Always",
          securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, procMount: "Default" },
          ports: [{ containerPort: 8080, hostPort: 80 }],
          env: [{ name: "A", value: "1" }],
          volumeMounts: [{ name: "v", mountPath: "/data" }],
          resources: { limits: { cpu: 1, memory: "1Gi" }, requests: { cpu: "100m", memory: "128Mi" } },
          livenessProbe: { httpGet: { path: "/" } },
        },
      ],
      {
        pod: {
          serviceAccount: "legacy",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
          volumes: [{ name: "v", hostPath: { path: "/srv" } }, { name: "e", emptyDir: {} }],
          priorityClassName: "high",
          runtimeClassName: "gvisor",
        },
        labels: { app: "web" },
      },
    );
    const input = inputFor(object, { cluster: "c1" });
    const ctx = createContext(input);
    const read = (id: string) => ACCESSORS[id]!.read(ctx, 0);
    expect(read("container.image.registry")).toBe("ghcr.io");
    expect(read("container.image.repository")).toBe("acme/api");
    expect(read("container.image.tag")).toBeUndefined();
    expect(read("container.image.digest")).toBe("sha256:" + "a".repeat(64));
    expect(read("container.securityContext.runAsUser")).toBe(1000); // from the pod
    expect(ACCESSORS["container.securityContext.runAsUser"]!.path(ctx, 0)).toBe("spec.template.spec.securityContext.runAsUser");
    expect(read("container.securityContext.seccompProfile.type")).toBe("RuntimeDefault");
    expect(read("container.capabilities.drop")).toEqual(["ALL"]);
    expect(read("container.ports.hostPort")).toEqual([80]);
    expect(read("container.env.names")).toEqual(["A"]);
    expect(read("container.volumeMounts.paths")).toEqual(["/data"]);
    expect(read("container.resources.limits.cpu")).toBe("1");
    expect(read("container.kind")).toBe("container");
    expect(read("pod.serviceAccountName")).toBe("legacy");
    expect(read("pod.volumes.types")).toEqual(["hostPath", "emptyDir"]);
    expect(read("pod.volumes.hostPath.paths")).toEqual(["/srv"]);
    expect(read("pod.labels")).toEqual({ app: "web" });
    expect(ACCESSORS["pod.labels"]!.path(ctx, -1)).toBe("spec.template.metadata.labels");
    expect(read("resource.cluster")).toBe("c1");
    expect(read("image.scanned")).toBe(false);
    // Every field reads without throwing, whatever the manifest holds.
    for (const f of FIELD_CATALOG) expect(() => ACCESSORS[f.id]!.read(ctx, 0)).not.toThrow();
    const empty = createContext(inputFor({ kind: "Pod", spec: { containers: [{ securityContext: "oops", ports: "x" }] } }));
    for (const f of FIELD_CATALOG) expect(() => ACCESSORS[f.id]!.read(empty, 0)).not.toThrow();
  });

  it("defaults a tagless reference to latest and treats wrong JSON types as absent", () => {
    const ctx = createContext(inputFor(podObject([{ name: "a", image: "nginx", securityContext: { privileged: "true", runAsUser: "0" } }])));
    expect(ACCESSORS["container.image.tag"]!.read(ctx, 0)).toBe("latest");
    expect(ACCESSORS["container.securityContext.privileged"]!.read(ctx, 0)).toBeUndefined();
    expect(ACCESSORS["container.securityContext.runAsUser"]!.read(ctx, 0)).toBeUndefined();
  });

  it("reports unknown fields with a suggestion", () => {
    const r = compileCriteria([{ conditions: [{ field: "container.privileged", operator: "equals", values: [true] }] }], "x");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ path: "rule.sections[0].conditions[0].field", message: "unknown field 'container.privileged' (did you mean container.securityContext.privileged?)" }]);
  });
});
