import { type InventoryService, type InventoryWorkload } from "./kubernetes-inventory.ts";

// Which workloads a Service exposes outside the cluster (NodePort, LoadBalancer, external IPs): its
// selector matched against the pod template labels in the same namespace. Feeds the risk score.

export interface WorkloadExposure {
  service: string;
  type: string;
  ports: number[];
}

/** Appends to each workload's `exposedBy` the external Services selecting its pods. */
export function markExposure(workloads: readonly InventoryWorkload[], services: readonly InventoryService[]): void {
  for (const s of services) {
    const external = s.type === "NodePort" || s.type === "LoadBalancer" || s.externalIPs > 0;
    if (!external || !s.selector || Object.keys(s.selector).length === 0) continue;
    const selector = Object.entries(s.selector);
    for (const w of workloads) {
      if (w.namespace !== s.namespace || !selector.every(([k, v]) => w.podLabels[k] === v)) continue;
      w.exposedBy.push({ service: s.name, type: s.externalIPs > 0 && s.type === "ClusterIP" ? "ExternalIP" : s.type, ports: s.ports.map((p) => p.nodePort ?? p.port) });
    }
  }
}
