import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { type InventorySnapshot, MAX_INVENTORY_ITEMS, parseInventory } from "./kubernetes-inventory.ts";

type Json = Record<string, unknown> & { items: Record<string, unknown>[] };
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./__fixtures__/kubernetes/${name}`, import.meta.url), "utf8")) as Json;

const API_NEW = "sha256:d63bddb3c92eaaa86040ea572782f4de1e81f60a7aba72cea468b4087e535996";
const API_OLD = "sha256:d4d190949b6bf266b6ea1c9e9253a7d4615695521532c6532ffeb14ae9ca92ce";
const ENVOY = "sha256:58f0736f6b3acb3f895fd95eb567d57c330edef89c0f074af624b5f46940f236";
const ENVOY_REBUILT = "sha256:8e57ed082dbb8c90a1e28fe7a5f3e6d807aa6b26da81f8b4dfefa4f54497a988";

function workload(s: InventorySnapshot, ns: string, kind: string, name: string) {
  const w = s.workloads.find((x) => x.namespace === ns && x.kind === kind && x.name === name);
  if (!w) throw new Error(`no workload ${ns}/${kind}/${name}`);
  return w;
}

function validationFields(input: unknown): { path: string; message: string }[] {
  try {
    parseInventory(input);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    return (err as AppError).fields ?? [];
  }
  throw new Error("expected VALIDATION_FAILED");
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", uid: `uid-${name}` },
  spec: { containers: [{ name: "c", image: "nginx:1.25" }] },
  ...extra,
});

describe("parseInventory on an EKS cluster's kubectl output", () => {
  const snap = parseInventory(fixture("eks-payments.json"));

  it("collapses every pod into its top-level controller", () => {
    expect(snap.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`)).toEqual([
      "batch-jobs/CronJob/nightly-report",
      "batch-jobs/Job/db-backfill",
      "default/Pod/netshoot",
      "default/ReplicaSet/legacy-worker",
      "default/ReplicationController/old-frontend",
      "kube-system/DaemonSet/aws-node",
      "kube-system/Deployment/coredns",
      "payments/Deployment/api",
      "payments/StatefulSet/postgres",
    ]);
    expect(snap.workloads.every((w) => w.ownerKind === null && w.ownerName === null)).toBe(true);
    expect(workload(snap, "payments", "Deployment", "api").podCount).toBe(3);
    expect(workload(snap, "kube-system", "Deployment", "coredns").podCount).toBe(2);
    expect(workload(snap, "batch-jobs", "CronJob", "nightly-report").podCount).toBe(1);
    expect(workload(snap, "default", "Pod", "netshoot").podCount).toBe(1);
  });

  it("keeps the controller's metadata, template spec and replica count", () => {
    const api = workload(snap, "payments", "Deployment", "api");
    expect(api.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(api.labels).toEqual({ "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "payments" });
    expect(api.annotations["meta.helm.sh/release-name"]).toBe("payments");
    expect(api.replicas).toBe(2);
    expect(api.podSpec).toMatchObject({ serviceAccountName: "payments-api", securityContext: { runAsNonRoot: true } });
    expect(api.podSpec).not.toHaveProperty("ephemeralContainers");
    expect(workload(snap, "kube-system", "DaemonSet", "aws-node").replicas).toBe(3);
    expect(workload(snap, "batch-jobs", "Job", "db-backfill").replicas).toBe(1);
    expect(workload(snap, "batch-jobs", "CronJob", "nightly-report").replicas).toBeNull();
    expect(workload(snap, "batch-jobs", "CronJob", "nightly-report").podSpec).toMatchObject({ restartPolicy: "OnFailure" });
    expect(workload(snap, "default", "Pod", "netshoot").replicas).toBe(1);
    expect(workload(snap, "default", "Pod", "netshoot").podSpec).toHaveProperty("nodeName");
  });

  it("lists init, regular and ephemeral containers with parsed images", () => {
    const api = workload(snap, "payments", "Deployment", "api");
    expect(api.containers.map((c) => [c.name, c.type])).toEqual([
      ["migrate", "INIT"],
      ["api", "REGULAR"],
      ["envoy", "REGULAR"],
      ["debugger-7xk2p", "EPHEMERAL"],
    ]);
    const [migrate, main, envoy, debug] = api.containers;
    expect(main?.imageRef).toBe("ghcr.io/acme/payments-api:2.14.1");
    expect(main?.image).toMatchObject({ registryHost: "ghcr.io", repository: "acme/payments-api", tag: "2.14.1", digest: null });
    expect(main?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(main?.ports).toEqual([{ containerPort: 8080, name: "http", protocol: "TCP", hostPort: null }]);
    expect(envoy?.image).toMatchObject({ registryHost: "docker.io", repository: "envoyproxy/envoy", tag: "v1.29.2" });
    expect(debug?.image?.name).toBe("docker.io/library/busybox");
    expect(debug?.securityContext).toEqual({});
    expect(migrate?.securityContext).toMatchObject({ runAsNonRoot: true });
    const aws = workload(snap, "kube-system", "DaemonSet", "aws-node");
    expect(aws.containers[1]?.ports[0]).toEqual({ containerPort: 61678, name: "metrics", protocol: "TCP", hostPort: 61678 });
    expect(workload(snap, "payments", "StatefulSet", "postgres").containers[0]?.image?.digest).toMatch(/^sha256:/);
  });

  it("attaches every distinct digest the pods run, including terminating pods of an old revision", () => {
    const api = workload(snap, "payments", "Deployment", "api");
    const byName = Object.fromEntries(api.containers.map((c) => [c.name, c]));
    expect(byName.api?.digests).toEqual([API_OLD, API_NEW].sort());
    expect(byName.migrate?.digests).toEqual([API_OLD, API_NEW].sort());
    expect(byName.envoy?.digests).toEqual([ENVOY, ENVOY_REBUILT].sort());
    expect(byName["debugger-7xk2p"]?.digests).toHaveLength(1);
    expect(byName.api?.localImageIds).toEqual([]);
    expect(workload(snap, "batch-jobs", "Job", "db-backfill").containers[0]?.digests).toEqual([API_NEW]);
    expect(workload(snap, "default", "ReplicationController", "old-frontend").containers[0]?.digests).toHaveLength(1);
    expect(workload(snap, "kube-system", "DaemonSet", "aws-node").containers.map((c) => c.digests.length)).toEqual([1, 1]);
    expect(snap.stats.unmatchedStatuses).toBe(0);
  });

  it("reports namespaces, services, nodes and cluster facts", () => {
    expect(snap.namespaces.map((n) => [n.name, n.declared])).toEqual([
      ["batch-jobs", true],
      ["default", true],
      ["kube-system", true],
      ["payments", true],
    ]);
    expect(snap.namespaces.find((n) => n.name === "payments")?.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
    expect(snap.services.map((s) => `${s.namespace}/${s.name}:${s.type}`)).toEqual([
      "default/kubernetes:ClusterIP",
      "kube-system/kube-dns:ClusterIP",
      "payments/api:ClusterIP",
      "payments/api-public:LoadBalancer",
      "payments/postgres:ClusterIP",
      "payments/stripe:ExternalName",
    ]);
    const lb = snap.services.find((s) => s.name === "api-public");
    expect(lb?.ports).toEqual([{ name: "https", protocol: "TCP", port: 443, targetPort: 8080, nodePort: 31443 }]);
    expect(lb?.selector).toEqual({ "app.kubernetes.io/name": "api" });
    expect(snap.services.find((s) => s.name === "api")?.ports[0]?.targetPort).toBe("http");
    expect(snap.services.find((s) => s.name === "kubernetes")?.selector).toBeNull();
    expect(snap.services.find((s) => s.name === "stripe")).toMatchObject({ ports: [], clusterIP: null });
    expect(snap.nodes).toHaveLength(3);
    expect(snap.nodes[0]).toMatchObject({
      name: "ip-10-0-1-23.eu-west-1.compute.internal",
      kubeletVersion: "v1.29.3-eks-ae9a62a",
      osImage: "Amazon Linux 2",
      containerRuntime: "containerd://1.7.11",
      providerID: "aws:///eu-west-1a/i-0a1b2c3d4e5f60718",
    });
    expect(snap.nodes[0]?.labels["eks.amazonaws.com/nodegroup"]).toBe("general");
    expect(snap.cluster).toEqual({ kubernetesVersion: "v1.29.3-eks-ae9a62a", provider: "eks" });
  });

  it("counts every kind and the terminating objects", () => {
    expect(snap.stats).toMatchObject({
      items: 37,
      byKind: { Namespace: 4, Node: 3, Pod: 12, Deployment: 2, ReplicaSet: 4, StatefulSet: 1, DaemonSet: 1, Job: 2, CronJob: 1, ReplicationController: 1, Service: 6 },
      ignoredKinds: {},
      deleting: 1,
    });
  });

  it("does not depend on item order", () => {
    const list = fixture("eks-payments.json");
    const reversed = { ...list, items: [...list.items].reverse() };
    const rotated = { ...list, items: [...list.items.slice(17), ...list.items.slice(0, 17)] };
    expect(parseInventory(reversed)).toEqual(snap);
    expect(parseInventory(rotated)).toEqual(snap);
  });
});

describe("parseInventory on a kind cluster", () => {
  const snap = parseInventory(fixture("kind-dev.json"));

  it("keeps a static pod as a workload owned by its node", () => {
    const etcd = workload(snap, "kube-system", "Pod", "etcd-dev-control-plane");
    expect(etcd.ownerKind).toBe("Node");
    expect(etcd.ownerName).toBe("dev-control-plane");
    expect(etcd.containers[0]?.digests).toEqual([]);
    expect(etcd.containers[0]?.localImageIds).toEqual(["sha256:5ea42b043638df3db135b2e8c3e6a2317bb306989b8f123055d598032b26a297"]);
  });

  it("keeps images that were only loaded locally, and pods still pulling", () => {
    const app = workload(snap, "default", "Deployment", "app");
    expect(app.containers[0]?.localImageIds).toEqual(["sha256:273afe908f1984d7df3bf4bc5f8d2a78e624cc534f1d27ab7b166581b28db301"]);
    const web = workload(snap, "default", "Pod", "web");
    expect(web.containers[0]).toMatchObject({ digests: [], localImageIds: [], image: { repository: "library/nginx", tag: "1.25.4" } });
  });

  it("recognises kind and a single kubelet version", () => {
    expect(snap.cluster).toEqual({ kubernetesVersion: "v1.29.2", provider: "kind" });
    expect(snap.namespaces.map((n) => n.name)).toEqual(["default", "kube-system", "local-path-storage"]);
  });
});

describe("parseInventory edge cases", () => {
  it("accepts a bare {items} list and implies namespaces it was not given", () => {
    const s = parseInventory({ items: [pod("a")] });
    expect(s.namespaces).toEqual([{ name: "default", uid: null, labels: {}, declared: false, deleting: false }]);
    expect(s.workloads[0]).toMatchObject({ kind: "Pod", name: "a", ownerKind: null });
    expect(s.cluster).toEqual({ kubernetesVersion: null, provider: "unknown" });
  });

  it("keeps a workload whose controller is outside the snapshot, naming that controller", () => {
    const rs = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "web-5d8f", namespace: "default", uid: "rs1", ownerReferences: [{ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "web", uid: "ro1", controller: true }] },
      spec: { replicas: 3, template: { spec: { containers: [{ name: "c", image: "nginx" }] } } },
    };
    const p = pod("web-5d8f-x", { metadata: { name: "web-5d8f-x", namespace: "default", ownerReferences: [{ kind: "ReplicaSet", name: "web-5d8f", uid: "rs1", controller: true }] } });
    const s = parseInventory({ kind: "List", items: [p, rs] });
    expect(s.workloads).toHaveLength(1);
    expect(s.workloads[0]).toMatchObject({ kind: "ReplicaSet", name: "web-5d8f", ownerKind: "Rollout", ownerName: "web", replicas: 3, podCount: 1 });
  });

  it("ignores non-controller owner references and owners in another namespace", () => {
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r", namespace: "other", uid: "rs1" }, spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } } };
    const a = pod("a", { metadata: { name: "a", namespace: "default", ownerReferences: [{ kind: "ReplicaSet", name: "r", uid: "rs1", controller: true }] } });
    const b = pod("b", { metadata: { name: "b", namespace: "other", ownerReferences: [{ kind: "ReplicaSet", name: "r", uid: "rs1" }] } });
    const s = parseInventory({ items: [rs, a, b] });
    expect(s.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}/${w.ownerKind}`)).toEqual(["default/Pod/a/ReplicaSet", "other/Pod/b/null", "other/ReplicaSet/r/null"]);
    expect(s.workloads.find((w) => w.name === "r")?.replicas).toBe(1);
  });

  it("survives an ownership cycle", () => {
    const rs = (name: string, owner: string) => ({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name, namespace: "default", uid: name, ownerReferences: [{ kind: "ReplicaSet", name: owner, uid: owner, controller: true }] },
      spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } },
    });
    const s = parseInventory({ items: [rs("a", "b"), rs("b", "a")] });
    expect(s.workloads.map((w) => `${w.name}<-${w.ownerName}`)).toEqual(["a<-b", "b<-a"]);
  });

  it("counts kinds it does not model, including same-named kinds of other API groups", () => {
    const s = parseInventory({
      items: [
        pod("a"),
        { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "i", namespace: "default" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "default" }, data: {} },
        { apiVersion: "v1", kind: "ConfigMap" },
        { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "hello", namespace: "default" }, spec: {} },
      ],
    });
    expect(s.stats.ignoredKinds).toEqual({ "Ingress.networking.k8s.io": 1, ConfigMap: 2, "Service.serving.knative.dev": 1 });
    expect(s.stats.byKind).toEqual({ Pod: 1 });
    expect(s.services).toEqual([]);
  });

  it("keeps a container whose image reference Docker would reject, with the reason", () => {
    const s = parseInventory({ items: [pod("a", { spec: { containers: [{ name: "c", image: "Acme/App:1" }] } })] });
    expect(s.workloads[0]?.containers[0]).toMatchObject({ imageRef: "Acme/App:1", image: null, imageError: expect.stringMatching(/lowercase/) });
  });

  it("counts statuses for containers the workload spec does not have", () => {
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r", namespace: "default", uid: "rs1" }, spec: { template: { spec: { containers: [{ name: "new", image: "x" }] } } } };
    const p = pod("p", {
      metadata: { name: "p", namespace: "default", ownerReferences: [{ kind: "ReplicaSet", name: "r", uid: "rs1", controller: true }] },
      status: { containerStatuses: [{ name: "c", imageID: `x@sha256:${"1".repeat(64)}` }] },
    });
    const s = parseInventory({ items: [rs, p] });
    expect(s.stats.unmatchedStatuses).toBe(1);
    expect(s.workloads[0]?.containers.map((c) => c.name)).toEqual(["new"]);
  });
});

describe("parseInventory rejects bad input with field paths", () => {
  it.each([
    ["a string", "kubectl", "(root)"],
    ["null", null, "(root)"],
    ["an array", [], "(root)"],
    ["items not an array", { kind: "List", items: {} }, "items"],
    ["a single object instead of a List", pod("a"), "kind"],
  ])("%s", (_label, input, path) => {
    expect(validationFields(input).map((f) => f.path)).toContain(path);
  });

  it("names the item and field that is wrong", () => {
    const list = fixture("eks-payments.json");
    const bad = structuredClone(list);
    delete (bad.items[3] as { metadata: { name?: string } }).metadata.name;
    expect(validationFields(bad)).toEqual([{ path: "items.3.metadata.name", message: expect.any(String) }]);
  });

  it("reports several problems at once, each with its path", () => {
    const fields = validationFields({
      items: [
        pod("ok"),
        "not an object",
        { kind: "Pod", metadata: { name: "p" }, spec: { containers: [] } },
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "n", labels: { a: 1 } }, spec: { template: { spec: { containers: [{ name: "c" }] } } } },
        { kind: "Service", metadata: { name: "s", namespace: "n" }, spec: { ports: [{ port: 70000 }] } },
        { metadata: { name: "no-kind" } },
      ],
    }).map((f) => f.path);
    expect(fields).toEqual(
      expect.arrayContaining([
        "items.1",
        "items.2.metadata.namespace",
        "items.2.spec.containers",
        "items.3.metadata.labels.a",
        "items.3.spec.template.spec.containers.0.image",
        "items.4.spec.ports.0.port",
        "items.5.kind",
      ]),
    );
    expect(fields).not.toContain("items.0");
  });

  it("rejects two objects with the same identity", () => {
    expect(validationFields({ items: [pod("a"), pod("b"), pod("a")] })).toEqual([{ path: "items.2.metadata.name", message: "Duplicate Pod (same as items.0)" }]);
  });

  it("bounds the number of items and of reported errors", () => {
    const tooMany = { items: { length: MAX_INVENTORY_ITEMS + 1 } };
    expect(validationFields({ items: Array.from(tooMany.items, () => 0) }).map((f) => f.path)).toEqual(["items"]);
    const many = validationFields({ items: Array.from({ length: 5000 }, () => "x") });
    expect(many.length).toBeLessThanOrEqual(100);
  });

  it("throws AppError, never a TypeError, for odd shapes inside known kinds", () => {
    for (const spec of [null, 1, "x", [], { containers: null }, { containers: [null] }, { containers: [{ name: "c", image: "x", ports: "80" }] }]) {
      expect(() => parseInventory({ items: [{ kind: "Pod", metadata: { name: "p", namespace: "d" }, spec }] })).toThrow(AppError);
    }
    expect(() => parseInventory({ items: [{ kind: "Pod", metadata: { name: "p", namespace: "d" }, spec: { containers: [{ name: "c", image: "x" }] }, status: { containerStatuses: [{ imageID: 5 }] } }] })).toThrow(AppError);
  });
});
