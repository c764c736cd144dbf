import { type ImageRef } from "./image-ref.ts";
import { type WorkloadExposure } from "./kubernetes-exposure.ts";
import { type KnownKind } from "./kubernetes-schema.ts";

// What an inventory report reduces to (see kubernetes-inventory.ts): the shapes ingestion stores.

export const WORKLOAD_KINDS = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export type InventoryContainerType = "INIT" | "REGULAR" | "EPHEMERAL";
export type ClusterProvider = "eks" | "gke" | "aks" | "kind" | "unknown";

export interface InventoryNamespace {
  name: string;
  uid: string | null;
  labels: Record<string, string>;
  /** False when only implied by objects inside it (the snapshot had no Namespace object for it). */
  declared: boolean;
  deleting: boolean;
}

export interface InventoryContainerPort {
  containerPort: number;
  name: string | null;
  protocol: string;
  hostPort: number | null;
}

export interface InventoryContainer {
  name: string;
  type: InventoryContainerType;
  /** The reference as written in the spec. */
  imageRef: string;
  /** Parsed reference; null (with imageError) when the cluster accepted a reference Docker would not. */
  image: ImageRef | null;
  imageError: string | null;
  securityContext: Record<string, unknown>;
  ports: InventoryContainerPort[];
  /** Distinct pullable manifest digests the workload's pods run for this container, sorted. */
  digests: string[];
  /** Distinct local image IDs (no registry digest known), sorted. */
  localImageIds: string[];
}

export interface InventoryWorkload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  uid: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The pod template's spec (or the Pod's spec), as reported. */
  podSpec: Record<string, unknown>;
  /** The pod template's labels (the Pod's own for a bare Pod): what Service selectors match. */
  podLabels: Record<string, string>;
  /** Services that expose the pods outside the cluster (NodePort, LoadBalancer, external IPs). */
  exposedBy: WorkloadExposure[];
  replicas: number | null;
  /** Controller of this workload when that controller is not itself in the snapshot (e.g. an Argo Rollout). */
  ownerKind: string | null;
  ownerName: string | null;
  /** metadata.creationTimestamp (ISO 8601) when reported and valid. */
  createdAt: string | null;
  deleting: boolean;
  /** Pods in the snapshot that belong to this workload. */
  podCount: number;
  containers: InventoryContainer[];
}

export interface InventoryService {
  namespace: string;
  name: string;
  uid: string | null;
  type: string;
  clusterIP: string | null;
  /** Number of externalIPs: any makes the Service reachable from outside whatever its type. */
  externalIPs: number;
  ports: { name: string | null; protocol: string; port: number; targetPort: number | string | null; nodePort: number | null }[];
  selector: Record<string, string> | null;
  labels: Record<string, string>;
}

export interface InventoryNode {
  name: string;
  uid: string | null;
  kubeletVersion: string | null;
  osImage: string | null;
  containerRuntime: string | null;
  kernelVersion: string | null;
  architecture: string | null;
  providerID: string | null;
  labels: Record<string, string>;
}

export interface InventoryStats {
  items: number;
  /** Items per understood kind. */
  byKind: Partial<Record<KnownKind, number>>;
  /** Items of other kinds, keyed "Kind" (core) or "Kind.group", e.g. "Ingress.networking.k8s.io". */
  ignoredKinds: Record<string, number>;
  /** Objects carrying a deletionTimestamp (still present, so still inventoried). */
  deleting: number;
  /** Pod container statuses whose container is not in the owning workload's spec (e.g. mid-rollout renames). */
  unmatchedStatuses: number;
}

export interface InventorySnapshot {
  cluster: { kubernetesVersion: string | null; provider: ClusterProvider };
  namespaces: InventoryNamespace[];
  workloads: InventoryWorkload[];
  services: InventoryService[];
  nodes: InventoryNode[];
  stats: InventoryStats;
}
