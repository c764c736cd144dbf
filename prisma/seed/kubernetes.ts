import { type ClusterSpec, clusterWorkloads, type EstateSpec, type PlacedWorkload, type SnapshotSpec } from "./estates.ts";
import { imageFor, podSpec, type WorkloadSpec } from "./podspec.ts";
import { canonicalRef, daysAgo, digestFor, hexFor, intBetween, k8sSuffix, parseImageRef, prng, uuidFor } from "./util.ts";

// A cluster's inventory exactly as the cluster connector sends it: the Kubernetes List that
// `kubectl get ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes -A -o json` prints. Controllers own
// their ReplicaSets/Jobs and those own the pods (ownerReferences), and pod statuses name the digest each
// container runs (imageID), which is how the ingest links containers to the images scanners report.

type Obj = Record<string, unknown>;

export interface PodRef {
  name: string;
  node: string;
  /** Owner chain below the workload: the ReplicaSet or Job a controller made, if any. */
  via: { kind: "ReplicaSet" | "Job"; name: string } | null;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function nodeNames(c: ClusterSpec): string[] {
  return Array.from({ length: c.nodes }, (_, i) => {
    const h = hexFor(`${c.name}|node|${i}`, 8);
    switch (c.provider) {
      case "eks":
        return `ip-10-0-${16 + i * 16 + (Number.parseInt(h.slice(0, 2), 16) % 16)}-${Number.parseInt(h.slice(2, 4), 16)}.${c.region}.compute.internal`;
      case "gke":
        return `gke-${c.name.split("-")[0]}-default-pool-${h}-${k8sSuffix(`${c.name}|${i}`, 4)}`;
      case "aks":
        return `aks-nodepool1-${Number.parseInt(h, 16) % 100_000_000}-vmss00000${i}`;
    }
  });
}

const NODE_FACTS: Record<ClusterSpec["provider"], { osImage: string; runtime: string; kernel: string; labels: () => Record<string, string>; providerID: (c: ClusterSpec, name: string) => string }> = {
  eks: {
    osImage: "Amazon Linux 2023.5.20240805",
    runtime: "containerd://1.7.20",
    kernel: "6.1.102-108.177.amzn2023.x86_64",
    labels: () => ({ "eks.amazonaws.com/nodegroup": "general", "eks.amazonaws.com/capacityType": "ON_DEMAND", "node.kubernetes.io/instance-type": "m6i.xlarge" }),
    providerID: (c, name) => `aws:///${c.region}a/i-0${hexFor(name, 16)}`,
  },
  gke: {
    osImage: "Container-Optimized OS from Google",
    runtime: "containerd://1.7.15",
    kernel: "6.1.85+",
    labels: () => ({ "cloud.google.com/gke-nodepool": "default-pool", "cloud.google.com/gke-os-distribution": "cos", "node.kubernetes.io/instance-type": "e2-standard-4" }),
    providerID: (c, name) => `gce://acme-${c.tier}/${c.region}-b/${name}`,
  },
  aks: {
    osImage: "Ubuntu 22.04.4 LTS",
    runtime: "containerd://1.7.15-1",
    kernel: "5.15.0-1068-azure",
    labels: () => ({ agentpool: "nodepool1", "kubernetes.azure.com/agentpool": "nodepool1", "kubernetes.azure.com/os-sku": "Ubuntu", "node.kubernetes.io/instance-type": "Standard_D4s_v5" }),
    providerID: (c, name) => `azure:///subscriptions/${uuidFor(c.name)}/resourceGroups/mc_${c.name}/providers/Microsoft.Compute/virtualMachineScaleSets/${name.replace(/0+\d$/, "")}/virtualMachines/${name.slice(-1)}`,
  },
};

function node(c: ClusterSpec, name: string, i: number, created: string): Obj {
  const f = NODE_FACTS[c.provider];
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      uid: uuidFor(`${c.name}|node|${name}`),
      creationTimestamp: created,
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "topology.kubernetes.io/region": c.region,
        "topology.kubernetes.io/zone": `${c.region}${"abc"[i % 3]}`,
        ...f.labels(),
      },
    },
    spec: { providerID: f.providerID(c, name), podCIDR: `10.244.${i}.0/24` },
    status: {
      addresses: [{ type: "InternalIP", address: `10.0.${16 + i * 16}.${10 + i}` }, { type: "Hostname", address: name }],
      capacity: { cpu: "4", memory: "16Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
      nodeInfo: {
        architecture: "amd64",
        containerRuntimeVersion: f.runtime,
        kernelVersion: f.kernel,
        kubeProxyVersion: c.kubernetesVersion,
        kubeletVersion: c.kubernetesVersion,
        operatingSystem: "linux",
        osImage: f.osImage,
      },
    },
  };
}

function imagesOf(p: PlacedWorkload): string[] {
  return p.spec.containers.map((c) => canonicalRef(imageFor(c, p.tier)));
}

/** The pods a workload's controller made, named the way Kubernetes names them. */
export function podsOf(c: ClusterSpec, p: PlacedWorkload): PodRef[] {
  const nodes = nodeNames(c);
  const w = p.spec;
  const at = (i: number) => nodes[(i + Number.parseInt(hexFor(p.key, 4), 16)) % nodes.length]!;
  const suffix = (i: number) => k8sSuffix(`${p.key}|pod|${i}`, 5);
  switch (w.kind) {
    case "Deployment": {
      // The ReplicaSet hash follows the pod template, so an image change makes a new ReplicaSet.
      const rs = `${w.name}-${k8sSuffix(`${p.key}|${imagesOf(p).join(",")}`, 10)}`;
      return Array.from({ length: w.replicas ?? 1 }, (_, i) => ({ name: `${rs}-${suffix(i)}`, node: at(i), via: { kind: "ReplicaSet" as const, name: rs } }));
    }
    case "StatefulSet":
      return Array.from({ length: w.replicas ?? 1 }, (_, i) => ({ name: `${w.name}-${i}`, node: at(i), via: null }));
    case "DaemonSet":
      return nodes.map((n, i) => ({ name: `${w.name}-${suffix(i)}`, node: n, via: null }));
    case "Job":
      return [{ name: `${w.name}-${suffix(0)}`, node: at(0), via: null }];
    case "CronJob": {
      const job = `${w.name}-${28_400_000 + (Number.parseInt(hexFor(p.key, 6), 16) % 100_000)}`;
      return [{ name: `${job}-${suffix(0)}`, node: at(0), via: { kind: "Job", name: job } }];
    }
    case "Pod":
      return [{ name: w.name, node: at(0), via: null }];
  }
}

// System namespaces run host agents and are exempt; application namespaces only warn for now, which is
// exactly why the misconfiguration findings exist.
function nsLabels(ns: string): Record<string, string> {
  const system = ns === "kube-system" || ns === "monitoring";
  return {
    "kubernetes.io/metadata.name": ns,
    ...(system ? { "pod-security.kubernetes.io/enforce": "privileged" } : { "pod-security.kubernetes.io/warn": "restricted" }),
  };
}

const APPS = "apps/v1";
const ownerRef = (apiVersion: string, kind: string, name: string, uid: string) => ({ apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true });

function workloadObjects(c: ClusterSpec, p: PlacedWorkload, born: Date, at: Date): Obj[] {
  const w = p.spec;
  const uid = uuidFor(p.key);
  const app = w.app ?? w.name;
  const labels: Record<string, string> =
    w.kind === "Pod" ? { run: w.name } : { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": w.ns, ...(w.team ? { team: w.team } : {}), env: p.tier };
  const selector = w.kind === "Pod" ? labels : { "app.kubernetes.io/name": app };
  const spec = podSpec(w, p.tier);
  const template = { metadata: { labels }, spec };
  const md = (extra: Obj = {}) => ({ name: w.name, namespace: w.ns, uid, creationTimestamp: iso(born), generation: 1, labels, ...extra });
  const pods = podsOf(c, p);
  const out: Obj[] = [];
  let podOwner: (pod: PodRef) => Obj | null;
  switch (w.kind) {
    case "Deployment": {
      const revision = String(intBetween(prng(p.key), 3, 40));
      const replicas = w.replicas ?? 1;
      out.push({
        apiVersion: APPS, kind: "Deployment",
        metadata: md({ annotations: { "deployment.kubernetes.io/revision": revision } }),
        spec: { replicas, selector: { matchLabels: selector }, template, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, revisionHistoryLimit: 10 },
        status: { observedGeneration: 1, replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas },
      });
      const rs = pods[0]!.via!.name;
      const hash = rs.slice(w.name.length + 1);
      out.push({
        apiVersion: APPS, kind: "ReplicaSet",
        metadata: { name: rs, namespace: w.ns, uid: uuidFor(`${p.key}|${rs}`), creationTimestamp: iso(born), labels: { ...labels, "pod-template-hash": hash }, annotations: { "deployment.kubernetes.io/revision": revision }, ownerReferences: [ownerRef(APPS, "Deployment", w.name, uid)] },
        spec: { replicas, selector: { matchLabels: { ...selector, "pod-template-hash": hash } }, template: { metadata: { labels: { ...labels, "pod-template-hash": hash } }, spec } },
        status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
      });
      podOwner = () => ownerRef(APPS, "ReplicaSet", rs, uuidFor(`${p.key}|${rs}`));
      break;
    }
    case "StatefulSet":
      out.push({
        apiVersion: APPS, kind: "StatefulSet", metadata: md(),
        spec: { replicas: w.replicas ?? 1, serviceName: w.name, selector: { matchLabels: selector }, template, podManagementPolicy: "OrderedReady" },
        status: { replicas: w.replicas ?? 1, readyReplicas: w.replicas ?? 1 },
      });
      podOwner = () => ownerRef(APPS, "StatefulSet", w.name, uid);
      break;
    case "DaemonSet":
      out.push({
        apiVersion: APPS, kind: "DaemonSet", metadata: md(),
        spec: { selector: { matchLabels: selector }, template, updateStrategy: { type: "RollingUpdate" } },
        status: { desiredNumberScheduled: pods.length, currentNumberScheduled: pods.length, numberReady: pods.length },
      });
      podOwner = () => ownerRef(APPS, "DaemonSet", w.name, uid);
      break;
    case "Job":
      out.push({ apiVersion: "batch/v1", kind: "Job", metadata: md(), spec: { parallelism: 1, completions: 1, backoffLimit: 6, template }, status: { succeeded: 1, completionTime: iso(born) } });
      podOwner = () => ownerRef("batch/v1", "Job", w.name, uid);
      break;
    case "CronJob": {
      out.push({
        apiVersion: "batch/v1", kind: "CronJob", metadata: md(),
        spec: { schedule: "0 2 * * *", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 3, jobTemplate: { spec: { backoffLimit: 2, template } } },
        status: { lastScheduleTime: iso(daysAgo(at, 0, 3)) },
      });
      const job = pods[0]!.via!.name;
      const jobUid = uuidFor(`${p.key}|${job}`);
      out.push({
        apiVersion: "batch/v1", kind: "Job",
        metadata: { name: job, namespace: w.ns, uid: jobUid, creationTimestamp: iso(daysAgo(at, 0, 3)), labels: { ...labels, "job-name": job }, ownerReferences: [ownerRef("batch/v1", "CronJob", w.name, uid)] },
        spec: { parallelism: 1, completions: 1, backoffLimit: 2, template },
        status: { succeeded: 1 },
      });
      podOwner = () => ownerRef("batch/v1", "Job", job, jobUid);
      break;
    }
    case "Pod":
      podOwner = () => null;
      break;
  }
  const finished = w.kind === "Job" || w.kind === "CronJob";
  for (const [i, pod] of pods.entries()) {
    const owner = podOwner(pod);
    const status = (c2: { name: string; image: string }) => {
      const ref = parseImageRef(c2.image);
      const full = `${ref.registryHost}/${ref.repository}`;
      const state = finished ? { terminated: { exitCode: 0, reason: "Completed", startedAt: iso(born), finishedAt: iso(born) } } : { running: { startedAt: iso(born) } };
      return {
        name: c2.name,
        image: `${full}:${ref.tag}`,
        imageID: `${full}@${digestFor(`${full}:${ref.tag}`)}`,
        containerID: `containerd://${hexFor(`${p.key}|${pod.name}|${c2.name}`)}`,
        ready: !finished,
        started: !finished,
        restartCount: 0,
        state,
      };
    };
    const init = w.containers.filter((x) => x.init).map((x) => ({ ...x, image: imageFor(x, p.tier) }));
    const regular = w.containers.filter((x) => !x.init).map((x) => ({ ...x, image: imageFor(x, p.tier) }));
    out.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: pod.name,
        namespace: w.ns,
        uid: w.kind === "Pod" ? uid : uuidFor(`${p.key}|pod|${pod.name}`),
        creationTimestamp: iso(born),
        labels: {
          ...labels,
          ...(w.kind === "StatefulSet" ? { "statefulset.kubernetes.io/pod-name": pod.name } : {}),
          ...(pod.via?.kind === "ReplicaSet" ? { "pod-template-hash": pod.via.name.slice(w.name.length + 1) } : {}),
          ...(pod.via?.kind === "Job" || w.kind === "Job" ? { "job-name": pod.via?.name ?? w.name } : {}),
        },
        ...(owner ? { ownerReferences: [owner] } : {}),
      },
      spec: { ...spec, nodeName: pod.node, ...(w.kind === "Pod" ? { restartPolicy: "Always" } : {}) },
      status: {
        phase: finished ? "Succeeded" : "Running",
        hostIP: `10.0.${16 + (i % 3) * 16}.${10 + (i % 3)}`,
        podIP: `10.244.${i % 3}.${10 + (Number.parseInt(hexFor(pod.name, 2), 16) % 240)}`,
        qosClass: "Burstable",
        startTime: iso(born),
        ...(init.length ? { initContainerStatuses: init.map((x) => ({ ...status(x), ready: true, state: { terminated: { exitCode: 0, reason: "Completed" } } })) } : {}),
        containerStatuses: regular.map(status),
      },
    });
  }
  const ports = w.containers.filter((x) => !x.init).flatMap((x) => x.ports ?? []);
  if (ports.length && w.kind !== "Job" && w.kind !== "CronJob" && w.kind !== "Pod") {
    const type = w.expose ?? "ClusterIP";
    const h = Number.parseInt(hexFor(`${p.key}|svc`, 4), 16);
    out.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: w.name, namespace: w.ns, uid: uuidFor(`${p.key}|svc`), creationTimestamp: iso(born), labels },
      spec: {
        type,
        clusterIP: w.kind === "StatefulSet" ? "None" : `172.20.${h % 250}.${(h >> 8) % 250}`,
        selector,
        ports: ports.map((port, i) => ({ name: `tcp-${port}`, protocol: "TCP", port, targetPort: port, ...(type !== "ClusterIP" ? { nodePort: 30_000 + ((h + i * 97) % 2_700) } : {}) })),
      },
      ...(type === "LoadBalancer" ? { status: { loadBalancer: { ingress: [loadBalancerAddress(c, p.key)] } } } : {}),
    });
  }
  return out;
}

function loadBalancerAddress(c: ClusterSpec, key: string): Record<string, string> {
  const h = hexFor(key, 8);
  if (c.provider === "eks") return { hostname: `a${h}-${Number.parseInt(h, 16)}.elb.${c.region}.amazonaws.com` };
  return { ip: `${c.provider === "gke" ? 34 : 20}.${Number.parseInt(h.slice(0, 2), 16)}.${Number.parseInt(h.slice(2, 4), 16)}.${Number.parseInt(h.slice(4, 6), 16)}` };
}

/** The cluster's inventory at one snapshot (undefined: the current one), received at `at`. */
export function inventoryList(estate: EstateSpec, c: ClusterSpec, snapshot: SnapshotSpec | undefined, at: Date, anchor: Date): Obj {
  const created = iso(daysAgo(anchor, 90));
  const extra = new Set((snapshot?.extra ?? []).map((w: WorkloadSpec) => w.name));
  const items: Obj[] = [
    ...estate.namespaces.map((ns) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, uid: uuidFor(`${c.name}|ns|${ns}`), creationTimestamp: created, labels: nsLabels(ns) },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    })),
    ...nodeNames(c).map((name, i) => node(c, name, i, created)),
  ];
  for (const p of clusterWorkloads(estate, c, snapshot)) {
    // Snapshot-only workloads were started shortly before that snapshot; the rest long before.
    const born = extra.has(p.spec.name) ? daysAgo(at, 0, 1) : daysAgo(anchor, 45 + (Number.parseInt(hexFor(p.key, 2), 16) % 20));
    items.push(...workloadObjects(c, p, born, at));
  }
  return { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items };
}
