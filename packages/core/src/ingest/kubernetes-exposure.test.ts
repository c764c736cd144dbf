import { describe, expect, it } from "vitest";
import { markExposure } from "./kubernetes-exposure.ts";
import { type InventoryService, type InventoryWorkload } from "./kubernetes-inventory.ts";

const workload = (namespace: string, podLabels: Record<string, string>) => ({ namespace, podLabels, exposedBy: [] }) as unknown as InventoryWorkload;
const service = (s: Partial<InventoryService>): InventoryService =>
  ({ namespace: "shop", name: "web", uid: null, type: "ClusterIP", clusterIP: null, externalIPs: 0, ports: [{ name: null, protocol: "TCP", port: 80, targetPort: 8080, nodePort: null }], selector: { app: "web" }, labels: {}, ...s }) as InventoryService;

describe("markExposure", () => {
  it("marks the workloads an external Service selects, in its namespace only", () => {
    const [web, other, elsewhere] = [workload("shop", { app: "web", tier: "fe" }), workload("shop", { app: "api" }), workload("prod", { app: "web" })];
    markExposure(
      [web!, other!, elsewhere!],
      [
        service({ type: "NodePort", ports: [{ name: null, protocol: "TCP", port: 80, targetPort: 8080, nodePort: 30080 }] }),
        service({ name: "lb", type: "LoadBalancer" }),
        service({ name: "internal" }), // ClusterIP: not exposed
        service({ name: "ext", externalIPs: 1 }),
        service({ name: "all", type: "LoadBalancer", selector: {} }), // selects nothing
      ],
    );
    expect(web!.exposedBy).toEqual([
      { service: "web", type: "NodePort", ports: [30080] },
      { service: "lb", type: "LoadBalancer", ports: [80] },
      { service: "ext", type: "ExternalIP", ports: [80] },
    ]);
    expect(other!.exposedBy).toEqual([]);
    expect(elsewhere!.exposedBy).toEqual([]);
  });
});
