// Builders for Kubernetes pod specs as a cluster connector would report them. Security profiles range
// from hardened (restricted Pod Security Standard) to privileged host agents, so misconfiguration
// checks have something real to find.

export type Tier = "prod" | "staging";

export type SecurityProfile = "hardened" | "nonroot" | "default" | "root" | "privileged" | "netbind";

export interface ContainerSpec {
  name: string;
  /** As written in the manifest; an object picks a different tag per cluster tier. */
  image: string | Record<Tier, string>;
  init?: boolean;
  ports?: number[];
  security: SecurityProfile;
  /** Requests and limits; "requests" sets requests only (no limits), the common half-done case. */
  resources?: "full" | "requests" | "none";
  cpu?: string;
  memory?: string;
  command?: string[];
  env?: Record<string, string>;
  mounts?: Array<[name: string, path: string, readOnly?: boolean]>;
}

export interface WorkloadSpec {
  ns: string;
  /** "Pod": a bare pod, as `kubectl run` makes one. */
  kind: "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Job" | "Pod";
  name: string;
  app?: string;
  replicas?: number;
  only?: Tier;
  containers: ContainerSpec[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostPaths?: Array<[name: string, path: string]>;
  emptyDirs?: string[];
  serviceAccount?: string;
  automountToken?: boolean;
  team?: string;
  /** A Service of this type in front of the workload's ports (otherwise ClusterIP). */
  expose?: "NodePort" | "LoadBalancer";
}

export function securityContext(profile: SecurityProfile): Record<string, unknown> {
  switch (profile) {
    case "hardened":
      return {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      };
    case "nonroot":
      return { runAsNonRoot: true, runAsUser: 999, allowPrivilegeEscalation: false };
    case "netbind":
      return {
        runAsNonRoot: true,
        runAsUser: 101,
        allowPrivilegeEscalation: true,
        capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      };
    case "root":
      return { runAsUser: 0 };
    case "privileged":
      return { privileged: true, runAsUser: 0, allowPrivilegeEscalation: true };
    case "default":
      return {};
  }
}

export function imageFor(c: ContainerSpec, tier: Tier): string {
  return typeof c.image === "string" ? c.image : c.image[tier];
}

function containerJson(c: ContainerSpec, tier: Tier): Record<string, unknown> {
  const cpu = c.cpu ?? "100m";
  const memory = c.memory ?? "128Mi";
  const resources =
    c.resources === "none"
      ? {}
      : c.resources === "requests"
        ? { requests: { cpu, memory } }
        : { requests: { cpu, memory }, limits: { cpu: doubled(cpu), memory } };
  return {
    name: c.name,
    image: imageFor(c, tier),
    imagePullPolicy: "IfNotPresent",
    ...(c.command ? { command: c.command } : {}),
    ...(c.ports?.length ? { ports: c.ports.map((p) => ({ containerPort: p, protocol: "TCP" })) } : {}),
    ...(c.env ? { env: Object.entries(c.env).map(([name, value]) => ({ name, value })) } : {}),
    resources,
    securityContext: securityContext(c.security),
    ...(c.mounts?.length ? { volumeMounts: c.mounts.map(([name, mountPath, readOnly]) => ({ name, mountPath, ...(readOnly ? { readOnly } : {}) })) } : {}),
    terminationMessagePolicy: "FallbackToLogsOnError",
  };
}

function doubled(cpu: string): string {
  const m = /^(\d+)m$/.exec(cpu);
  return m ? `${Number(m[1]) * 2}m` : String(Number(cpu) * 2);
}

export function podSpec(w: WorkloadSpec, tier: Tier): Record<string, unknown> {
  const init = w.containers.filter((c) => c.init);
  const regular = w.containers.filter((c) => !c.init);
  const volumes = [
    ...(w.hostPaths ?? []).map(([name, path]) => ({ name, hostPath: { path, type: "" } })),
    ...(w.emptyDirs ?? []).map((name) => ({ name, emptyDir: {} })),
  ];
  const hardenedPod = w.containers.every((c) => c.security === "hardened");
  return {
    serviceAccountName: w.serviceAccount ?? w.name,
    ...(w.automountToken === false ? { automountServiceAccountToken: false } : {}),
    ...(w.hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
    ...(w.hostPID ? { hostPID: true } : {}),
    ...(hardenedPod ? { securityContext: { runAsNonRoot: true, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } } } : {}),
    ...(w.kind === "CronJob" || w.kind === "Job" ? { restartPolicy: "OnFailure" } : {}),
    ...(init.length ? { initContainers: init.map((c) => containerJson(c, tier)) } : {}),
    containers: regular.map((c) => containerJson(c, tier)),
    ...(volumes.length ? { volumes } : {}),
    ...(w.ns === "kube-system" || w.kind === "DaemonSet" ? { priorityClassName: "system-node-critical", tolerations: [{ operator: "Exists" }] } : {}),
  };
}
