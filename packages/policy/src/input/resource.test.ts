import { describe, expect, it } from "vitest";
import type { JsonObject } from "../types.ts";
import { containersOf, isPodBearingKind, toResource } from "./resource.ts";

const podSpec = (): JsonObject => ({
  containers: [{ name: "app", image: "nginx:1" }, { name: "side", image: "busybox" }],
  initContainers: [{ name: "init0", image: "alpine" }, { name: "init1", image: "alpine:3" }],
  ephemeralContainers: [{ name: "debug", image: "busybox" }],
});
const template = () => ({ metadata: { labels: { app: "web" }, annotations: { a: "b" } }, spec: podSpec() });

describe("toResource", () => {
  it("reads identity and metadata", () => {
    const r = toResource({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "svc", namespace: "prod", labels: { a: "1", bad: 2 }, annotations: { x: "y" } },
    });
    expect(r).toMatchObject({ apiVersion: "v1", kind: "Service", name: "svc", namespace: "prod", labels: { a: "1" }, annotations: { x: "y" } });
    expect(r.podSpec).toBeUndefined();
    expect(r.podSpecPath).toBeUndefined();
    expect(r.podMetadata).toBeUndefined();
    expect(r.containers).toEqual([]);
    expect("namespace" in toResource({ kind: "Service" })).toBe(false);
  });

  it("falls back to generateName", () => {
    expect(toResource({ kind: "Pod", metadata: { generateName: "web-" } }).name).toBe("web-");
  });

  it("normalizes a Pod with containers in order and exact paths", () => {
    const obj = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { app: "x" } }, spec: podSpec() };
    const r = toResource(obj);
    expect(r.object).toBe(obj);
    expect(r.podSpec).toBe(obj.spec);
    expect(r.podSpecPath).toBe("spec");
    expect(r.podMetadata).toEqual({ labels: { app: "x" }, annotations: {} });
    expect(r.containers.map((c) => [c.kind, c.name, c.path, c.image])).toEqual([
      ["container", "app", "spec.containers[0]", "nginx:1"],
      ["container", "side", "spec.containers[1]", "busybox"],
      ["initContainer", "init0", "spec.initContainers[0]", "alpine"],
      ["initContainer", "init1", "spec.initContainers[1]", "alpine:3"],
      ["ephemeralContainer", "debug", "spec.ephemeralContainers[0]", "busybox"],
    ]);
    expect(r.containers[0]?.spec).toBe((obj.spec.containers as JsonObject[])[0]);
  });

  it.each([
    ["Deployment", { spec: { template: template() } }, "spec.template.spec"],
    ["ReplicaSet", { spec: { template: template() } }, "spec.template.spec"],
    ["StatefulSet", { spec: { template: template() } }, "spec.template.spec"],
    ["DaemonSet", { spec: { template: template() } }, "spec.template.spec"],
    ["Job", { spec: { template: template() } }, "spec.template.spec"],
    ["ReplicationController", { spec: { template: template() } }, "spec.template.spec"],
    ["CronJob", { spec: { jobTemplate: { spec: { template: template() } } } }, "spec.jobTemplate.spec.template.spec"],
    ["PodTemplate", { template: template() }, "template.spec"],
  ])("finds the pod spec of a %s", (kind, body, path) => {
    const r = toResource({ apiVersion: "x", kind, metadata: { name: "n" }, ...body });
    expect(isPodBearingKind(kind)).toBe(true);
    expect(r.podSpecPath).toBe(path);
    expect(r.podSpec).toBeDefined();
    expect(r.podMetadata).toEqual({ labels: { app: "web" }, annotations: { a: "b" } });
    expect(r.containers).toHaveLength(5);
    expect(r.containers[3]?.path).toBe(`${path}.initContainers[1]`);
    expect(r.containers[4]?.path).toBe(`${path}.ephemeralContainers[0]`);
  });

  it("never throws on wrong types and treats them as absent", () => {
    const weird: unknown[] = [null, 1, "x", [], true, { spec: null }, { template: [] }];
    for (const w of weird) {
      for (const kind of ["Pod", "Deployment", "CronJob", "PodTemplate"]) {
        expect(() => toResource({ kind, metadata: w, spec: w, template: w })).not.toThrow();
      }
    }
    const r = toResource({ kind: "Deployment", metadata: "x", spec: { template: { spec: { containers: "nope", initContainers: [null, 5, { name: 3, image: 4 }] } } } });
    expect(r.name).toBe("");
    expect(r.labels).toEqual({});
    expect(r.podSpecPath).toBe("spec.template.spec");
    // The mistyped entry keeps its index in the path, so reports still point at the right element.
    expect(r.containers).toEqual([{ name: "", kind: "initContainer", spec: { name: 3, image: 4 }, path: "spec.template.spec.initContainers[2]", image: "" }]);
    expect(toResource({ kind: 5 } as unknown as JsonObject).kind).toBe("");
  });

  it("a pod-bearing kind without a pod spec still reports pod metadata", () => {
    const r = toResource({ kind: "Deployment", spec: { template: { metadata: { labels: { a: "b" } } } } });
    expect(r.podSpec).toBeUndefined();
    expect(r.podMetadata).toEqual({ labels: { a: "b" }, annotations: {} });
    expect(r.containers).toEqual([]);
  });

  it("does not treat inherited names as kinds", () => {
    expect(isPodBearingKind("constructor")).toBe(false);
    expect(isPodBearingKind("toString")).toBe(false);
    expect(toResource({ kind: "constructor", spec: podSpec() }).containers).toEqual([]);
  });

  it("containersOf works on a bare pod spec", () => {
    expect(containersOf(podSpec(), "").map((c) => c.path)).toEqual(["containers[0]", "containers[1]", "initContainers[0]", "initContainers[1]", "ephemeralContainers[0]"]);
  });
});
