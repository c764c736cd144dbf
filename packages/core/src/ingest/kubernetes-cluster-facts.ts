import { type Parsed } from "./kubernetes-schema.ts";
import { type ClusterProvider, type InventoryNode } from "./kubernetes-inventory.ts";

// Node records and what they say about the cluster: its Kubernetes version and managed provider.

export function toNode(node: Parsed<"Node">): InventoryNode {
  const info = node.status?.nodeInfo;
  return {
    name: node.metadata.name,
    uid: node.metadata.uid ?? null,
    kubeletVersion: info?.kubeletVersion ?? null,
    osImage: info?.osImage ?? null,
    containerRuntime: info?.containerRuntimeVersion ?? null,
    kernelVersion: info?.kernelVersion ?? null,
    architecture: info?.architecture ?? null,
    providerID: node.spec?.providerID ?? null,
    labels: node.metadata.labels ?? {},
  };
}

/** Most common kubelet version; on a tie the newest, since the control plane is never older than its kubelets. */
export function majorityVersion(nodes: InventoryNode[]): string | null {
  const counts = new Map<string, number>();
  for (const n of nodes) if (n.kubeletVersion) counts.set(n.kubeletVersion, (counts.get(n.kubeletVersion) ?? 0) + 1);
  const ranked = [...counts].sort(([va, ca], [vb, cb]) => cb - ca || compareVersions(vb, va) || cmp(va, vb));
  return ranked[0]?.[0] ?? null;
}

function compareVersions(a: string, b: string): number {
  const nums = (v: string) => (/^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((x) => Number(x ?? 0));
  const [pa, pb] = [nums(a), nums(b)];
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function nodeProvider(n: InventoryNode): ClusterProvider {
  const pid = n.providerID ?? "";
  const labels = Object.keys(n.labels);
  const v = n.kubeletVersion ?? "";
  if (pid.startsWith("kind://")) return "kind";
  if (labels.some((l) => l.startsWith("eks.amazonaws.com/")) || v.includes("-eks-")) return "eks";
  if (labels.some((l) => l.startsWith("cloud.google.com/gke-")) || v.includes("-gke.")) return "gke";
  if (labels.some((l) => l.startsWith("kubernetes.azure.com/")) || (pid.startsWith("azure://") && "agentpool" in n.labels)) return "aks";
  return "unknown";
}

export function guessProvider(nodes: InventoryNode[]): ClusterProvider {
  const counts = new Map<ClusterProvider, number>();
  for (const n of nodes) {
    const p = nodeProvider(n);
    if (p !== "unknown") counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([pa, ca], [pb, cb]) => cb - ca || cmp(pa, pb));
  return ranked[0]?.[0] ?? "unknown";
}

export function cmp(a: string | undefined, b: string | undefined): number {
  const [x, y] = [a ?? "", b ?? ""];
  return x < y ? -1 : x > y ? 1 : 0;
}
