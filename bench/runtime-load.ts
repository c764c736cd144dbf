import { randomUUID } from "node:crypto";
import http from "node:http";

// The runtime benchmark's load: Falco events as falcosidekick-style JSON arrays, posted at a fixed
// offered rate over keep-alive connections, with a few "canary" events whose rule is new each time so
// every canary opens a fresh aggregate that must alert.

export interface Estate {
  cluster: string;
  namespaces: string[];
  workloads: Array<{ namespace: string; name: string }>;
}

const RULES = [
  { rule: "Terminal shell in container", priority: "Notice", tags: ["container", "shell", "mitre_execution", "T1059"] },
  { rule: "Read sensitive file untrusted", priority: "Warning", tags: ["filesystem", "mitre_credential_access", "T1555"] },
  { rule: "Contact K8S API Server From Container", priority: "Notice", tags: ["network", "k8s", "mitre_discovery", "T1613"] },
  { rule: "Launch Package Management Process in Container", priority: "Error", tags: ["process", "software_mgmt", "mitre_persistence"] },
  { rule: "Drop and execute new binary in container", priority: "Critical", tags: ["process", "mitre_persistence", "TA0003"] },
] as const;
const PROCESSES = ["/bin/bash", "/usr/bin/curl", "/usr/bin/apt-get", "/usr/local/bin/node", "/bin/cat"] as const;

export function syntheticEstate(workloads: number, namespaces: number): Estate {
  const ns = Array.from({ length: namespaces }, (_, i) => `team-${i}`);
  return { cluster: "bench-runtime", namespaces: ns, workloads: Array.from({ length: workloads }, (_, i) => ({ namespace: ns[i % namespaces]!, name: `svc-${i}` })) };
}

/** A Kubernetes List of the estate's Deployments, as a cluster connector sends it. */
export function inventoryList(estate: Estate) {
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      ...estate.namespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, uid: `ns-${name}` } })),
      ...estate.workloads.map((w, i) => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: w.name, namespace: w.namespace, uid: `dep-${i}` },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: w.name } },
          template: {
            metadata: { labels: { app: w.name } },
            spec: { containers: [{ name: "app", image: `registry.example.com/bench/${w.name}:1.0` }] },
          },
        },
      })),
    ],
  };
}

let seq = 0;

function falcoEvent(estate: Estate, i: number, rule: { rule: string; priority: string; tags: readonly string[] }, time: Date) {
  const w = estate.workloads[i % estate.workloads.length]!;
  const proc = PROCESSES[i % PROCESSES.length]!;
  const pod = `${w.name}-7d59548d75-wh4${"bcdfg"[i % 5]}s`;
  return {
    uuid: randomUUID(),
    output: `${time.toISOString()}: ${rule.priority} ${rule.rule} (user=root proc=${proc} k8s.ns=${w.namespace} k8s.pod=${pod} seq=${seq++})`,
    priority: rule.priority,
    rule: rule.rule,
    time: time.toISOString(),
    source: "syscall",
    hostname: `node-${i % 8}`,
    tags: [...rule.tags],
    output_fields: {
      "container.id": "3ad7b26ded6d",
      "container.name": "app",
      "container.image.repository": `registry.example.com/bench/${w.name}`,
      "container.image.tag": "1.0",
      "evt.time": time.getTime() * 1_000_000,
      "k8s.cluster.name": estate.cluster,
      "k8s.ns.name": w.namespace,
      "k8s.pod.name": pod,
      "proc.cmdline": `${proc.split("/").pop()} -c id`,
      "proc.exepath": proc,
      "proc.name": proc.split("/").pop()!,
      "user.name": "root",
    },
  };
}

/** One batch of `size` events spread over the estate's aggregates; the first is a canary when `canary` is set. */
export function eventBatch(estate: Estate, size: number, offset: number, canary?: string): string {
  const now = new Date();
  const events = Array.from({ length: size }, (_, k) => falcoEvent(estate, offset + k, RULES[(offset + k) % RULES.length]!, now));
  if (canary) events[0] = falcoEvent(estate, offset, { rule: canary, priority: "Critical", tags: ["mitre_execution", "T1059"] }, now);
  return JSON.stringify(events);
}

export interface PostResult {
  status: number;
  ms: number;
}

export function poster(target: URL, token: string | null, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return (body: string): Promise<PostResult> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        target,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
        },
      );
      req.on("error", () => resolve({ status: 0, ms: performance.now() - t0 }));
      req.end(body);
    });
}

export interface LoadResult {
  offered: number;
  accepted: number;
  refused: Record<string, number>;
  seconds: number;
  latencies: number[];
  /** Canary rule → when its batch was sent (epoch ms). */
  canaries: Map<string, number>;
}

/**
 * Offers `rate` events/s for `seconds`, in batches of `batch`, every 100 ms; one canary per second.
 * Requests are not awaited before the next tick (an open-loop load): a slow server shows as latency
 * and as events not accepted, not as a lower offered rate.
 */
export async function offerLoad(post: (body: string) => Promise<PostResult>, estate: Estate, opts: { rate: number; seconds: number; batch: number; canaryPrefix?: string }): Promise<LoadResult> {
  const perTick = Math.max(1, Math.round(opts.rate / 10 / opts.batch));
  const ticks = opts.seconds * 10;
  const result: LoadResult = { offered: 0, accepted: 0, refused: {}, seconds: 0, latencies: [], canaries: new Map() };
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  let offset = 0;
  for (let t = 0; t < ticks; t++) {
    const due = started + t * 100;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let b = 0; b < perTick; b++) {
      const canary = opts.canaryPrefix && t % 10 === 0 && b === 0 ? `${opts.canaryPrefix} ${t / 10}` : undefined;
      const body = eventBatch(estate, opts.batch, offset, canary);
      offset += opts.batch;
      result.offered += opts.batch;
      if (canary) result.canaries.set(canary, Date.now());
      const p = post(body).then((r) => {
        result.latencies.push(r.ms);
        if (r.status === 202) result.accepted += opts.batch;
        else result.refused[String(r.status)] = (result.refused[String(r.status)] ?? 0) + opts.batch;
      });
      const tracked = p.finally(() => inflight.delete(tracked));
      inflight.add(tracked);
    }
  }
  await Promise.all(inflight);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
