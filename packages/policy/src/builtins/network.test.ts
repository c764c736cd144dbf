import { describe, expect, it } from "vitest";
import type { JsonObject } from "../types.ts";
import { noSensitivePorts } from "./network.ts";
import { cronJob, deployment, pod, run, where } from "./testing.ts";

const svc = (spec: JsonObject, name = "svc"): JsonObject => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "prod" }, spec });

describe("no-sensitive-ports on pods", () => {
  it("passes container ports without hostPort and harmless host ports", () => {
    expect(run(noSensitivePorts, pod({ containers: [{ name: "ssh", image: "x:1", ports: [{ containerPort: 22 }] }] }))).toEqual([]);
    expect(run(noSensitivePorts, pod({ containers: [{ name: "web", image: "x:1", ports: [{ containerPort: 80, hostPort: 8080 }] }] }))).toEqual([]);
  });

  it.each([22, 2375, 2376, 2379, 2380, 6443, 10250, 10255, 3389])("flags hostPort %i", (port) => {
    const v = run(noSensitivePorts, deployment({ containers: [{ name: "a", image: "x:1", ports: [{ containerPort: 8080 }, { containerPort: port, hostPort: port }] }] }));
    expect(where(v)).toEqual([["a", "spec.template.spec.containers[0].ports[1].hostPort"]]);
    expect(v[0]?.evidence).toBe(`hostPort: ${port}`);
  });

  it("flags sensitive container ports of hostNetwork pods, init containers included", () => {
    const v = run(noSensitivePorts, cronJob({ hostNetwork: true, containers: [{ name: "a", image: "x:1", ports: [{ containerPort: 8080 }, { containerPort: 10250 }] }], initContainers: [{ name: "i", image: "x:1", ports: [{ containerPort: 22 }] }] }));
    expect(where(v)).toEqual([
      ["a", "spec.jobTemplate.spec.template.spec.containers[0].ports[1].containerPort"],
      ["i", "spec.jobTemplate.spec.template.spec.initContainers[0].ports[0].containerPort"],
    ]);
    expect(v[0]?.message).toContain("kubelet API");
    expect(v[0]?.message).toContain("hostNetwork");
  });
});

describe("no-sensitive-ports on Services", () => {
  it("passes ClusterIP, headless and ExternalName Services whatever their ports", () => {
    expect(run(noSensitivePorts, svc({ ports: [{ port: 22, targetPort: 22 }] }))).toEqual([]);
    expect(run(noSensitivePorts, svc({ type: "ClusterIP", clusterIP: "None", ports: [{ port: 6443 }] }))).toEqual([]);
    expect(run(noSensitivePorts, svc({ type: "ExternalName", externalName: "db.example.com", ports: [{ port: 22 }] }))).toEqual([]);
  });

  it("passes exposed Services on ordinary ports", () => {
    expect(run(noSensitivePorts, svc({ type: "LoadBalancer", ports: [{ port: 443, targetPort: 8443 }, { port: 80, targetPort: "http" }] }))).toEqual([]);
  });

  it("flags a NodePort Service exposing SSH on its port", () => {
    const v = run(noSensitivePorts, svc({ type: "NodePort", ports: [{ name: "web", port: 80 }, { name: "ssh", port: 22, nodePort: 30022 }] }, "bastion"));
    expect(where(v)).toEqual([[undefined, "spec.ports[1].port"]]);
    expect(v[0]?.evidence).toBe("type NodePort, port: 22");
    expect(v[0]?.message).toContain('"bastion"');
  });

  it("flags a LoadBalancer whose targetPort is sensitive, numeric strings included", () => {
    expect(where(run(noSensitivePorts, svc({ type: "LoadBalancer", ports: [{ port: 443, targetPort: 6443 }] })))).toEqual([[undefined, "spec.ports[0].targetPort"]]);
    expect(where(run(noSensitivePorts, svc({ type: "LoadBalancer", ports: [{ port: 2222, targetPort: "22" }] })))).toEqual([[undefined, "spec.ports[0].targetPort"]]);
    expect(run(noSensitivePorts, svc({ type: "LoadBalancer", ports: [{ port: 2222, targetPort: "ssh" }] }))).toEqual([]);
  });

  it("reports one violation per port entry", () => {
    expect(run(noSensitivePorts, svc({ type: "LoadBalancer", ports: [{ port: 2375, targetPort: 2375 }] }))).toHaveLength(1);
  });

  it("flags ClusterIP Services with externalIPs", () => {
    const v = run(noSensitivePorts, svc({ type: "ClusterIP", externalIPs: ["203.0.113.7"], ports: [{ port: 2379 }] }));
    expect(where(v)).toEqual([[undefined, "spec.ports[0].port"]]);
    expect(v[0]?.evidence).toBe("externalIPs, port: 2379");
  });

  it("ignores malformed Services and other kinds", () => {
    expect(run(noSensitivePorts, svc({ type: "NodePort", ports: "22" }))).toEqual([]);
    expect(run(noSensitivePorts, { apiVersion: "v1", kind: "Service", metadata: { name: "x" } })).toEqual([]);
    expect(run(noSensitivePorts, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, spec: { type: "NodePort", ports: [{ port: 22 }] } })).toEqual([]);
  });
});
