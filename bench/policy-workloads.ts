import { toResource, type EvaluationInput, type ImageFacts, type JsonObject } from "@bulwark/policy";

// Deterministic, varied workloads for the policy benchmark: Deployments, Pods, StatefulSets and
// CronJobs with 1–4 containers, init containers, hardened and careless security contexts, env vars
// (some with secret-looking literals), images from several registries, host ports, hostPath volumes.

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = "0123456789abcdef";
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => HEX[Math.floor(r() * 16)]).join("");
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const IMAGES = [
  "nginx",
  "nginx:1.27.3",
  "redis:latest",
  "docker.io/library/postgres:16.4",
  "ghcr.io/acme/api:2.3.1",
  "ghcr.io/acme/worker@sha256:" + "a1".repeat(32),
  "ghcr.io/acme/web:4.0.0@sha256:" + "b2".repeat(32),
  "quay.io/prometheus/node-exporter:v1.8.0",
  "registry.acme.internal:5000/payments/api:7.1",
  "gcr.io/distroless/static:nonroot",
  "public.ecr.aws/docker/library/busybox:1.36",
  "evil.example.com/miner:1.0",
];

function facts(ref: string, i: number): ImageFacts {
  return {
    ref,
    registry: ref.includes("/") && ref.split("/")[0]!.includes(".") ? ref.split("/")[0] : "docker.io",
    scannedAt: i % 3 === 0 ? "2026-01-01T00:00:00Z" : "2026-01-10T00:00:00Z",
    vulnerabilities: { critical: i % 4, high: i % 7, medium: 10, low: 20, fixableCritical: i % 3 === 0 ? 1 : 0, fixableHigh: i % 5, ids: ["CVE-2024-0001", "CVE-2024-0002"] },
    malware: { detected: ref.startsWith("evil."), signatures: ref.startsWith("evil.") ? ["XMRig"] : [] },
    signature: { verified: ref.startsWith("ghcr.io/acme/"), ...(ref.startsWith("ghcr.io/acme/") ? { signer: "ci@acme" } : {}) },
  };
}

/** Scan facts for all but the last three images (those stay unknown, as in CI). */
export const IMAGE_FACTS: Record<string, ImageFacts> = Object.fromEntries(IMAGES.slice(0, -3).map((ref, i) => [ref, facts(ref, i)]));

function securityContext(r: () => number): JsonObject | undefined {
  const x = r();
  if (x < 0.2) return undefined;
  if (x < 0.5) return { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  if (x < 0.6) return { privileged: true };
  if (x < 0.7) return { runAsUser: 0, capabilities: { add: [pick(r, ["NET_ADMIN", "SYS_ADMIN", "NET_BIND_SERVICE", "SYS_PTRACE"])] } };
  if (x < 0.85) return { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } };
  return { readOnlyRootFilesystem: r() < 0.5, runAsUser: 1000 + Math.floor(r() * 1000) };
}

function env(r: () => number): JsonObject[] {
  const out: JsonObject[] = [{ name: "LOG_LEVEL", value: pick(r, ["info", "debug", "warn"]) }, { name: "PORT", value: "8080" }];
  const x = r();
  if (x < 0.08) out.push({ name: "DB_PASSWORD", value: `Pw-${hex(r, 6)}-${hex(r, 6)}` });
  else if (x < 0.12) out.push({ name: "GITHUB_TOKEN", value: `ghp_${hex(r, 36)}` });
  else if (x < 0.15) out.push({ name: "AWS_ACCESS_KEY_ID", value: `AKIA${hex(r, 16).toUpperCase()}` });
  else if (x < 0.4) out.push({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } });
  if (r() < 0.3) out.push({ name: "FEATURE_FLAGS", value: "a,b,c" }, { name: "SECRET_NAME", value: "db-credentials" });
  return out;
}

function container(r: () => number, name: string, init: boolean): JsonObject {
  const sc = securityContext(r);
  const c: JsonObject = { name, image: pick(r, IMAGES), env: env(r) };
  if (sc) c["securityContext"] = sc;
  if (!init) {
    const port: JsonObject = { containerPort: pick(r, [8080, 80, 443, 22, 9090]), protocol: "TCP" };
    if (r() < 0.05) port["hostPort"] = pick(r, [80, 22, 10250]);
    c["ports"] = [port];
    if (r() < 0.6) c["resources"] = { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } };
    c["volumeMounts"] = [{ name: "tmp", mountPath: "/tmp" }];
  }
  return c;
}

function podSpec(r: () => number, i: number): JsonObject {
  const containers = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, k) => container(r, `c${k}`, false));
  const spec: JsonObject = { containers, volumes: [{ name: "tmp", emptyDir: {} }, { name: "cfg", configMap: { name: `cfg-${i % 50}` } }] };
  if (r() < 0.3) spec["initContainers"] = [container(r, "init", true)];
  if (r() < 0.4) spec["automountServiceAccountToken"] = false;
  if (r() < 0.3) spec["securityContext"] = { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000 };
  if (r() < 0.03) spec["hostNetwork"] = true;
  if (r() < 0.02) spec["hostPID"] = true;
  const v = r();
  if (v < 0.03) (spec["volumes"] as JsonObject[]).push({ name: "logs", hostPath: { path: "/var/log" } });
  else if (v < 0.04) (spec["volumes"] as JsonObject[]).push({ name: "docker", hostPath: { path: "/var/run/docker.sock", type: "Socket" } });
  spec["serviceAccountName"] = pick(r, ["default", "api", "worker"]);
  return spec;
}

function workload(r: () => number, i: number): JsonObject {
  const name = `app-${i}`;
  const namespace = `team-${i % 25}`;
  const labels = { app: name, team: `t${i % 7}`, tier: pick(r, ["web", "worker", "batch"]) };
  const spec = podSpec(r, i);
  const template = { metadata: { labels }, spec };
  const x = r();
  if (x < 0.45) return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace, labels }, spec: { replicas: 3, selector: { matchLabels: { app: name } }, template } };
  if (x < 0.7) return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, spec };
  if (x < 0.85) return { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name, namespace, labels }, spec: { serviceName: name, selector: { matchLabels: { app: name } }, template } };
  return { apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace, labels }, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template } } } };
}

const SETTINGS = {
  trustedRegistries: ["ghcr.io", "registry.acme.internal:5000", "docker.io"],
  allowedDeployers: [{ namespace: "*", subjects: ["system:serviceaccount:ci:deployer", "group:platform"] }],
  maxScanAgeHours: 168,
  now: "2026-01-12T00:00:00Z",
};

/** `count` evaluation inputs, normalized outside any timing (normalization is the input layer's job). */
export function generateInputs(count: number, seed = 42): EvaluationInput[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const input: EvaluationInput = { resource: toResource(workload(r, i)), images: IMAGE_FACTS, settings: SETTINGS, cluster: `prod-${i % 3}` };
    // Half arrive as admission requests, half from the inventory.
    if (i % 2 === 0) input.request = { operation: "CREATE", userInfo: { username: pick(r, ["system:serviceaccount:ci:deployer", "alice", "bob"]), groups: ["system:authenticated"] }, namespace: `team-${i % 25}` };
    return input;
  });
}
