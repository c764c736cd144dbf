import { imageFor, type Tier, type WorkloadSpec } from "./podspec.ts";
import { canonicalRef } from "./util.ts";

// What each demo organization runs. Acme is the showcase (two clusters, ~40 workloads from hardened
// services to privileged legacy apps); Globex is deliberately small so tenancy is easy to see.

/** An earlier inventory the cluster connector sent; the current inventory is the estate itself. */
export interface SnapshotSpec {
  daysAgo: number;
  /** Workloads that ran then and are gone now: the next snapshot deletes them and resolves their findings. */
  extra?: WorkloadSpec[];
  /** Images that were different then, as [current reference, earlier reference]. */
  images?: Array<[string, string]>;
}

export interface ClusterSpec {
  name: string;
  provider: "eks" | "gke" | "aks";
  kubernetesVersion: string;
  tier: Tier;
  region: string;
  nodes: number;
  /** Earlier snapshots, oldest first. */
  snapshots: SnapshotSpec[];
}

export interface RegistrySpec {
  name: string;
  host: string;
  trusted: boolean;
  /** An earlier image list, and the malware signatures its scanner reported then (ref → signature). */
  earlier?: { daysAgo: number; flagged?: Record<string, string> };
}

export interface RuntimeSpec {
  cluster: string;
  ns: string;
  workload: string;
  container: string;
  rule: string;
  /** Falco priority; mapped onto Bulwark severities. */
  priority: "Critical" | "Error" | "Warning" | "Notice" | "Informational";
  output: string;
  tags: string[];
  events: number;
  daysAgo: number;
  fields: Record<string, string | number>;
}

/** A misconfiguration that has since been fixed in the manifest: recorded as a resolved finding. */
export interface FixedMisconfigSpec {
  cluster: string;
  ns: string;
  workload: string;
  ruleId: string;
  resolvedDaysAgo: number;
}

export interface EstateSpec {
  slug: string;
  clusters: ClusterSpec[];
  namespaces: string[];
  registries: RegistrySpec[];
  /** Registry hosts (or host/prefix) the trusted-registries policy allows. */
  trustedPrefixes: string[];
  workloads: WorkloadSpec[];
  runtime: RuntimeSpec[];
  fixedMisconfigs: FixedMisconfigSpec[];
}

const mon = ["monitoring"] as const;
const varlog: Array<[string, string]> = [["varlog", "/var/log"]];

const ACME_WORKLOADS: WorkloadSpec[] = [
  {
    ns: "payments", kind: "Deployment", name: "payments-api", replicas: 3, team: "payments", automountToken: false,
    containers: [
      { name: "migrate", init: true, image: "ghcr.io/acme/db-migrate:1.8.2", security: "hardened", command: ["migrate", "-path", "/migrations", "up"] },
      { name: "api", image: { prod: "ghcr.io/acme/payments-api:2.14.0", staging: "ghcr.io/acme/payments-api:2.15.0-rc.1" }, ports: [8080, 9090], security: "hardened", cpu: "250m", memory: "256Mi" },
    ],
  },
  {
    ns: "payments", kind: "Deployment", name: "fraud-scorer", replicas: 2, team: "risk",
    containers: [{ name: "scorer", image: "ghcr.io/acme/fraud-scorer:0.9.3", ports: [8000], security: "root", resources: "requests", cpu: "500m", memory: "1Gi" }],
  },
  {
    ns: "payments", kind: "CronJob", name: "ledger-reconcile", team: "payments", automountToken: false,
    containers: [{ name: "reconcile", image: "ghcr.io/acme/ledger-reconcile:1.2.0", security: "hardened" }],
  },
  {
    ns: "checkout", kind: "Deployment", name: "checkout-web", replicas: 4, team: "web", emptyDirs: ["nginx-cache"],
    containers: [
      { name: "web", image: { prod: "ghcr.io/acme/checkout-web:3.4.1", staging: "ghcr.io/acme/checkout-web:3.5.0" }, ports: [3000], security: "nonroot", cpu: "200m", memory: "512Mi" },
      { name: "nginx", image: "nginx:1.25.3", ports: [8080], security: "default", mounts: [["nginx-cache", "/var/cache/nginx"]] },
    ],
  },
  {
    ns: "checkout", kind: "Deployment", name: "cart-service", replicas: 3, team: "web", automountToken: false,
    containers: [{ name: "cart", image: "ghcr.io/acme/cart-service:1.19.0", ports: [50051], security: "hardened", cpu: "150m", memory: "192Mi" }],
  },
  {
    ns: "checkout", kind: "StatefulSet", name: "redis-cart", replicas: 1, team: "web", emptyDirs: ["data"],
    containers: [{ name: "redis", image: "redis:7.2.3", ports: [6379], security: "nonroot", memory: "512Mi", mounts: [["data", "/data"]] }],
  },
  {
    ns: "catalog", kind: "Deployment", name: "catalog-api", replicas: 3, team: "catalog",
    containers: [{ name: "api", image: "ghcr.io/acme/catalog-api:5.2.0", ports: [8080], security: "nonroot", cpu: "300m", memory: "384Mi" }],
  },
  {
    ns: "catalog", kind: "Deployment", name: "image-resizer", replicas: 2, team: "catalog",
    containers: [{ name: "resizer", image: "ghcr.io/acme/image-resizer:0.4.7", ports: [8081], security: "default", resources: "none" }],
  },
  {
    ns: "catalog", kind: "Job", name: "catalog-reindex", only: "prod", team: "catalog",
    containers: [{ name: "reindex", image: "ghcr.io/acme/catalog-api:5.2.0", security: "nonroot", command: ["node", "dist/reindex.js"] }],
  },
  {
    ns: "auth", kind: "Deployment", name: "auth-service", replicas: 3, team: "identity", automountToken: false,
    containers: [{ name: "auth", image: "ghcr.io/acme/auth-service:4.0.2", ports: [8443], security: "hardened", cpu: "200m", memory: "256Mi" }],
  },
  {
    ns: "auth", kind: "Deployment", name: "legacy-sso", replicas: 1, only: "prod", team: "identity", expose: "NodePort", hostPaths: [["host-certs", "/etc/pki"]],
    containers: [{ name: "sso", image: "ghcr.io/acme/legacy-sso:1.0.9", ports: [8443, 22], security: "privileged", resources: "none", mounts: [["host-certs", "/etc/pki", true]] }],
  },
  {
    ns: "monitoring", kind: "DaemonSet", name: "node-exporter", team: "platform", hostNetwork: true, hostPID: true,
    hostPaths: [["proc", "/proc"], ["sys", "/sys"], ["root", "/"]],
    containers: [{ name: "node-exporter", image: "quay.io/prometheus/node-exporter:v1.7.0", ports: [9100], security: "nonroot", cpu: "50m", memory: "64Mi", mounts: [["proc", "/host/proc", true], ["sys", "/host/sys", true], ["root", "/host/root", true]] }],
  },
  {
    ns: "monitoring", kind: "StatefulSet", name: "prometheus", replicas: 2, team: "platform", emptyDirs: ["config-out"],
    containers: [{ name: "prometheus", image: "quay.io/prometheus/prometheus:v2.48.1", ports: [9090], security: "hardened", cpu: "500m", memory: "2Gi" }],
  },
  {
    ns: "monitoring", kind: "Deployment", name: "grafana", replicas: 1, team: "platform",
    containers: [{ name: "grafana", image: "grafana/grafana:10.2.3", ports: [3000], security: "nonroot", memory: "256Mi" }],
  },
  {
    ns: "monitoring", kind: "DaemonSet", name: "falco", only: "prod", team: "security", hostPID: true,
    hostPaths: [["dev", "/dev"], ["proc", "/proc"], ["boot", "/boot"], ["containerd-sock", "/run/containerd/containerd.sock"]],
    containers: [{ name: "falco", image: "falcosecurity/falco:0.37.1", ports: [8765], security: "privileged", cpu: "100m", memory: "512Mi", mounts: [["dev", "/host/dev"], ["proc", "/host/proc", true], ["containerd-sock", "/host/run/containerd/containerd.sock"]] }],
  },
  {
    ns: "ingress-nginx", kind: "Deployment", name: "ingress-nginx-controller", replicas: 2, team: "platform", expose: "LoadBalancer",
    containers: [{ name: "controller", image: "registry.k8s.io/ingress-nginx/controller:v1.9.4", ports: [80, 443, 8443], security: "netbind", cpu: "100m", memory: "90Mi", resources: "requests" }],
  },
  {
    ns: "ingress-nginx", kind: "Job", name: "ingress-nginx-admission-create", team: "platform",
    containers: [{ name: "create", image: "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v20231011-8b53cabe0", security: "nonroot", command: ["/kube-webhook-certgen", "create"] }],
  },
  {
    ns: "kube-system", kind: "DaemonSet", name: "kube-proxy", team: "platform", hostNetwork: true, hostPaths: [["xtables-lock", "/run/xtables.lock"], ["lib-modules", "/lib/modules"]],
    containers: [{ name: "kube-proxy", image: { prod: "registry.k8s.io/kube-proxy:v1.31.2", staging: "registry.k8s.io/kube-proxy:v1.30.5" }, security: "privileged", resources: "requests", mounts: [["xtables-lock", "/run/xtables.lock"], ["lib-modules", "/lib/modules", true]] }],
  },
  {
    ns: "kube-system", kind: "Deployment", name: "coredns", replicas: 2, team: "platform",
    containers: [{ name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.11.1", ports: [53, 9153], security: "netbind", cpu: "100m", memory: "170Mi" }],
  },
  {
    ns: "data", kind: "StatefulSet", name: "postgres", replicas: 1, team: "data", emptyDirs: ["pgdata"],
    containers: [
      { name: "fix-permissions", init: true, image: "busybox:1.36.1", security: "root", command: ["sh", "-c", "chown -R 999:999 /var/lib/postgresql/data"], mounts: [["pgdata", "/var/lib/postgresql/data"]] },
      { name: "postgres", image: "postgres:15.5", ports: [5432], security: "nonroot", cpu: "1", memory: "4Gi", mounts: [["pgdata", "/var/lib/postgresql/data"]] },
    ],
  },
  {
    ns: "data", kind: "CronJob", name: "pg-backup", only: "prod", team: "data",
    containers: [
      { name: "dump", init: true, image: "postgres:15.5", security: "nonroot", command: ["pg_dumpall", "-f", "/backup/all.sql"], mounts: [["backup", "/backup"]] },
      { name: "upload", image: "ghcr.io/acme/backup-uploader:0.3.1", security: "root", resources: "none", mounts: [["backup", "/backup", true]] },
    ],
    emptyDirs: ["backup"],
  },
  {
    ns: "checkout", kind: "Deployment", name: "debug-tools", replicas: 1, only: "staging", team: "web", hostPaths: varlog,
    containers: [{ name: "netutils", image: "k8s-debug-tools/netutils:latest", security: "root", resources: "none", command: ["sleep", "infinity"], mounts: [["varlog", "/host/var/log"]] }],
  },
];

// `kubectl run -n payments debug-curl --image=curlimages/curl:8.5.0 -- sleep infinity`, deleted since.
const DEBUG_CURL: WorkloadSpec = {
  ns: "payments", kind: "Pod", name: "debug-curl", serviceAccount: "default",
  containers: [{ name: "debug-curl", image: "curlimages/curl:8.5.0", security: "default", resources: "none", command: ["sleep", "infinity"] }],
};

const PROD = "prod-eu-west-1";
const STAGING = "staging-us-east-1";

export const ACME: EstateSpec = {
  slug: "acme",
  clusters: [
    {
      name: PROD, provider: "eks", kubernetesVersion: "v1.31.2-eks-7f9249a", tier: "prod", region: "eu-west-1", nodes: 3,
      // A month ago payments-api still ran 2.13.1; a week ago someone ran a debug pod in payments, which
      // Falco caught opening a shell and calling the API server; it was gone two days later.
      snapshots: [
        { daysAgo: 30, images: [["ghcr.io/acme/payments-api:2.14.0", "ghcr.io/acme/payments-api:2.13.1"]] },
        { daysAgo: 7, extra: [DEBUG_CURL] },
        { daysAgo: 5 },
      ],
    },
    { name: STAGING, provider: "gke", kubernetesVersion: "v1.30.5-gke.1014001", tier: "staging", region: "us-east1", nodes: 2, snapshots: [{ daysAgo: 30 }] },
  ],
  namespaces: ["payments", "checkout", "catalog", "auth", ...mon, "ingress-nginx", "kube-system", "data"],
  registries: [
    // ClamAV's encrypted-archive heuristic flagged a test fixture in backup-uploader; a later scan cleared it.
    { name: "ghcr-acme", host: "ghcr.io/acme", trusted: true, earlier: { daysAgo: 10, flagged: { "ghcr.io/acme/backup-uploader:0.3.1": "Heuristics.Encrypted.Zip" } } },
    { name: "docker-hub", host: "docker.io", trusted: false, earlier: { daysAgo: 10 } },
  ],
  trustedPrefixes: ["ghcr.io/acme", "registry.k8s.io", "quay.io/prometheus"],
  workloads: ACME_WORKLOADS,
  runtime: [
    {
      cluster: PROD, ns: "auth", workload: "legacy-sso", container: "sso", rule: "Terminal shell in container", priority: "Notice",
      output: "A shell was spawned in a container with an attached terminal (user=root shell=bash parent=runc cmdline=bash -il terminal=34816)",
      tags: ["container", "shell", "mitre_execution", "T1059"], events: 3, daysAgo: 2,
      fields: { "proc.name": "bash", "proc.cmdline": "bash -il", "user.name": "root", "proc.pname": "runc" },
    },
    {
      cluster: PROD, ns: "auth", workload: "legacy-sso", container: "sso", rule: "Read sensitive file untrusted", priority: "Warning",
      output: "Sensitive file opened for reading by non-trusted program (file=/etc/shadow program=cat user=root)",
      tags: ["filesystem", "mitre_credential_access", "T1555", "T1552.001"], events: 1, daysAgo: 2,
      fields: { "fd.name": "/etc/shadow", "proc.name": "cat", "proc.cmdline": "cat /etc/shadow", "user.name": "root" },
    },
    {
      cluster: PROD, ns: "auth", workload: "legacy-sso", container: "sso", rule: "Mount Launched in Privileged Container", priority: "Warning",
      output: "Mount was executed inside a privileged container (user=root command=mount /dev/nvme0n1p1 /mnt)",
      tags: ["container", "mitre_privilege_escalation", "T1611"], events: 1, daysAgo: 1,
      fields: { "proc.name": "mount", "proc.cmdline": "mount /dev/nvme0n1p1 /mnt", "user.name": "root" },
    },
    {
      cluster: STAGING, ns: "checkout", workload: "debug-tools", container: "netutils", rule: "Detect crypto miners using the Stratum protocol", priority: "Critical",
      output: "Possible miner running (command=kworkerd -o stratum+tcp://pool.minexmr.example:4444 -u 4A... user=root)",
      tags: ["process", "mitre_impact", "T1496"], events: 6, daysAgo: 0,
      fields: { "proc.name": "kworkerd", "proc.cmdline": "kworkerd -o stratum+tcp://pool.minexmr.example:4444", "user.name": "root" },
    },
    {
      cluster: STAGING, ns: "checkout", workload: "debug-tools", container: "netutils", rule: "Drop and execute new binary in container", priority: "Critical",
      output: "Executing binary not part of base image (proc.exe=/usr/local/bin/kworkerd user=root)",
      tags: ["container", "mitre_persistence", "T1204.003", "T1059"], events: 2, daysAgo: 0,
      fields: { "proc.exepath": "/usr/local/bin/kworkerd", "proc.name": "kworkerd", "user.name": "root" },
    },
    {
      cluster: PROD, ns: "payments", workload: "fraud-scorer", container: "scorer", rule: "Contact K8S API Server From Container", priority: "Notice",
      output: "Unexpected connection to K8s API Server from container (connection=10.0.12.7:51234->172.20.0.1:443 command=python3 score.py)",
      tags: ["network", "k8s", "mitre_discovery", "T1613"], events: 4, daysAgo: 5,
      fields: { "fd.name": "10.0.12.7:51234->172.20.0.1:443", "proc.name": "python3", "proc.cmdline": "python3 score.py" },
    },
    {
      cluster: PROD, ns: "monitoring", workload: "falco", container: "falco", rule: "Launch Privileged Container", priority: "Informational",
      output: "Privileged container started (image=docker.io/falcosecurity/falco:0.37.1)",
      tags: ["container", "cis", "mitre_execution", "T1610"], events: 1, daysAgo: 20,
      fields: { "container.image.repository": "docker.io/falcosecurity/falco", "container.privileged": "true" },
    },
    {
      cluster: PROD, ns: "catalog", workload: "image-resizer", container: "resizer", rule: "Clear Log Activities", priority: "Warning",
      output: "Log files were tampered (file=/var/log/app/access.log command=truncate -s 0 /var/log/app/access.log)",
      tags: ["filesystem", "mitre_defense_evasion", "T1070"], events: 1, daysAgo: 9,
      fields: { "fd.name": "/var/log/app/access.log", "proc.name": "truncate" },
    },
    {
      cluster: PROD, ns: "payments", workload: "debug-curl", container: "debug-curl", rule: "Terminal shell in container", priority: "Notice",
      output: "A shell was spawned in a container with an attached terminal (user=curl_user shell=sh parent=runc cmdline=sh terminal=34817)",
      tags: ["container", "shell", "mitre_execution", "T1059"], events: 2, daysAgo: 6,
      fields: { "proc.name": "sh", "proc.cmdline": "sh", "user.name": "curl_user", "proc.pname": "runc" },
    },
    {
      cluster: PROD, ns: "payments", workload: "debug-curl", container: "debug-curl", rule: "Contact K8S API Server From Container", priority: "Notice",
      output: "Unexpected connection to K8s API Server from container (connection=10.0.14.9:40112->172.20.0.1:443 command=curl -sk https://kubernetes.default/api/v1/namespaces/payments/secrets)",
      tags: ["network", "k8s", "container", "mitre_discovery", "T1613"], events: 1, daysAgo: 6,
      fields: { "fd.name": "10.0.14.9:40112->172.20.0.1:443", "proc.name": "curl", "proc.cmdline": "curl -sk https://kubernetes.default/api/v1/namespaces/payments/secrets" },
    },
  ],
  fixedMisconfigs: [
    { cluster: PROD, ns: "auth", workload: "auth-service", ruleId: "KSV012", resolvedDaysAgo: 21 },
    { cluster: PROD, ns: "payments", workload: "payments-api", ruleId: "KSV001", resolvedDaysAgo: 14 },
    { cluster: STAGING, ns: "checkout", workload: "cart-service", ruleId: "KSV014", resolvedDaysAgo: 6 },
  ],
};

const GLOBEX_CLUSTER = "globex-prod-westeurope";

export const GLOBEX: EstateSpec = {
  slug: "globex",
  clusters: [{ name: GLOBEX_CLUSTER, provider: "aks", kubernetesVersion: "v1.29.9", tier: "prod", region: "westeurope", nodes: 2, snapshots: [{ daysAgo: 30 }] }],
  namespaces: ["storefront", "data", "kube-system"],
  registries: [{ name: "ghcr-globex", host: "ghcr.io/globex", trusted: true }],
  trustedPrefixes: ["ghcr.io/globex", "registry.k8s.io"],
  workloads: [
    {
      ns: "storefront", kind: "Deployment", name: "storefront-api", replicas: 2,
      containers: [{ name: "api", image: "ghcr.io/globex/storefront-api:1.3.0", ports: [8080], security: "root", resources: "requests" }],
    },
    {
      ns: "storefront", kind: "Deployment", name: "storefront-web", replicas: 2, expose: "LoadBalancer",
      containers: [{ name: "nginx", image: "nginx:1.25.3", ports: [80], security: "default" }],
    },
    {
      ns: "data", kind: "StatefulSet", name: "orders-db", replicas: 1, emptyDirs: ["pgdata"],
      containers: [{ name: "postgres", image: "postgres:15.5", ports: [5432], security: "nonroot", memory: "2Gi", mounts: [["pgdata", "/var/lib/postgresql/data"]] }],
    },
    {
      ns: "kube-system", kind: "Deployment", name: "coredns", replicas: 2,
      containers: [{ name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.11.1", ports: [53], security: "netbind" }],
    },
  ],
  runtime: [
    {
      cluster: GLOBEX_CLUSTER, ns: "storefront", workload: "storefront-api", container: "api", rule: "Terminal shell in container", priority: "Notice",
      output: "A shell was spawned in a container with an attached terminal (user=root shell=sh cmdline=sh)",
      tags: ["container", "shell", "mitre_execution", "T1059"], events: 1, daysAgo: 4,
      fields: { "proc.name": "sh", "proc.cmdline": "sh", "user.name": "root" },
    },
  ],
  fixedMisconfigs: [],
};

export interface PlacedWorkload {
  /** cluster/namespace/kind/name */
  key: string;
  cluster: string;
  tier: Tier;
  spec: WorkloadSpec;
}

export const workloadKey = (cluster: string, w: WorkloadSpec) => `${cluster}/${w.ns}/${w.kind}/${w.name}`;

/** The workloads each cluster runs now. */
export function placeWorkloads(estate: EstateSpec): PlacedWorkload[] {
  return estate.clusters.flatMap((c) =>
    estate.workloads.filter((w) => !w.only || w.only === c.tier).map((w) => ({ key: workloadKey(c.name, w), cluster: c.name, tier: c.tier, spec: w })),
  );
}

/** A workload as an earlier snapshot saw it: the images it ran then. */
export function asOf(w: WorkloadSpec, snapshot: SnapshotSpec | undefined): WorkloadSpec {
  const swaps = snapshot?.images ?? [];
  if (swaps.length === 0) return w;
  const swap = (ref: string) => swaps.find(([now]) => canonicalRef(now) === canonicalRef(ref))?.[1] ?? ref;
  return { ...w, containers: w.containers.map((c) => ({ ...c, image: typeof c.image === "string" ? swap(c.image) : { prod: swap(c.image.prod), staging: swap(c.image.staging) } })) };
}

/** What a cluster ran at one snapshot (undefined: now). */
export function clusterWorkloads(estate: EstateSpec, cluster: ClusterSpec, snapshot?: SnapshotSpec): PlacedWorkload[] {
  const now = placeWorkloads(estate).filter((p) => p.cluster === cluster.name);
  const extra = (snapshot?.extra ?? []).map((w) => ({ key: workloadKey(cluster.name, w), cluster: cluster.name, tier: cluster.tier, spec: w }));
  return [...now, ...extra].map((p) => ({ ...p, spec: asOf(p.spec, snapshot) }));
}

/** Every image the organization's clusters run or ran (canonical references, first seen first). */
export function estateImageRefs(estate: EstateSpec): string[] {
  const refs: string[] = [];
  for (const c of estate.clusters) {
    for (const snap of [...c.snapshots, undefined]) {
      for (const p of clusterWorkloads(estate, c, snap)) refs.push(...p.spec.containers.map((x) => canonicalRef(imageFor(x, p.tier))));
    }
  }
  return [...new Set(refs)];
}
