// The enforcer benchmark of issue 5: the enforcer (apps/enforcer/src/main.ts, a process of its own
// as deployed) behind HTTPS on loopback judges AdmissionReviews of a 3-container Deployment with a
// signed bundle of every built-in (some ENFORCE), at 1,000 requests/s offered for 10 s, beside an
// empty HTTPS handler (same certificate, same process model, reads the body and answers a fixed
// AdmissionReview) in the same run. Open loop: sends are scheduled at fixed intervals whatever the
// answers do, and latency runs from the scheduled send time, so a stall shows up in the numbers
// instead of slowing the sender (no coordinated omission). Target: enforcer p99 < 5 ms.
// Both servers run with the enforcer's V8 flags, as its image starts it (apps/enforcer/src/node-flags.ts).
// BENCH_ENFORCER_RATE / BENCH_ENFORCER_SECONDS change the load; BENCH_ENFORCER_NODE_ARGS passes more
// flags to both servers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", "--trace-gc"); BENCH_DEBUG=1
// prints their output and the slowest requests with their scheduled times.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzip } from "node:zlib";
import { BUILTIN_POLICIES, builtinDefinition, type BundleContent, bundlePayloadBytes, type SignedBundle, signedDocument } from "@bulwark/policy";
import { ENFORCER_NODE_FLAGS } from "../apps/enforcer/src/node-flags.ts";

const RATE = Number(process.env.BENCH_ENFORCER_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_ENFORCER_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const MAX_SOCKETS = 50;
const TARGET_P99_MS = 5;
const ENFORCED = ["no-privileged", "no-privilege-escalation", "no-host-namespaces", "no-host-path", "no-docker-socket", "no-malware"];
const REPO = path.resolve(import.meta.dirname, "..");

// ---- the request: an AdmissionReview v1 of a 3-container Deployment, as the API server sends it ----

function deployment(): Record<string, unknown> {
  const c = (name: string, image: string, port: number) => ({
    name,
    image,
    ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
    env: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "DATABASE_HOST", value: "postgres.payments.svc" },
      { name: "API_KEY", valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: "api-key" } } },
    ],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    livenessProbe: { httpGet: { path: "/healthz", port }, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: "/readyz", port }, periodSeconds: 5 },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "checkout",
      namespace: "payments",
      labels: { app: "checkout", team: "payments", "app.kubernetes.io/version": "4.2.1" },
      annotations: { "deployment.kubernetes.io/revision": "17", "kubectl.kubernetes.io/last-applied-configuration": "{}" },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "checkout" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: { app: "checkout", team: "payments" }, annotations: { "prometheus.io/scrape": "true" } },
        spec: {
          serviceAccountName: "checkout",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [c("api", "ghcr.io/acme/checkout-api:4.2.1", 8080), c("worker", "ghcr.io/acme/checkout-worker:4.2.1", 8081), c("envoy", "envoyproxy/envoy:v1.31.2", 9901)],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}

/** The review as text with the uid left out, so each request gets its own uid without re-serializing. */
function reviewTemplate(): { before: string; after: string } {
  const marker = "__UID__";
  const review = {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: marker,
      kind: { group: "apps", version: "v1", kind: "Deployment" },
      resource: { group: "apps", version: "v1", resource: "deployments" },
      requestKind: { group: "apps", version: "v1", kind: "Deployment" },
      requestResource: { group: "apps", version: "v1", resource: "deployments" },
      name: "checkout",
      namespace: "payments",
      operation: "CREATE",
      userInfo: { username: "system:serviceaccount:argocd:argocd-application-controller", uid: "2b6c", groups: ["system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"] },
      object: deployment(),
      oldObject: null,
      dryRun: false,
      options: { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions", fieldManager: "argocd-controller" },
    },
  };
  const [before, after] = JSON.stringify(review).split(marker);
  return { before: before!, after: after! };
}

// ---- a signed bundle, exactly as central signs one ----

function signedBundle(): { bundle: SignedBundle; publicKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const keyId = `ed25519-${createHash("sha256").update(raw).digest("hex").slice(0, 16)}`;
  const content: BundleContent = {
    schema: 1,
    orgId: "org_bench",
    policies: BUILTIN_POLICIES.map((b) => ({ ...builtinDefinition(b), enforcement: ENFORCED.includes(b.id) ? "ENFORCE" : b.enforcement })),
    exceptions: [],
    settings: { trustedRegistries: ["ghcr.io"], allowedDeployers: [], maxScanAgeHours: 168 },
  };
  const version = 1;
  const createdAt = new Date().toISOString();
  const contentHash = `sha256:${createHash("sha256").update(bundlePayloadBytes(content)).digest("hex")}`;
  const signature = sign(null, bundlePayloadBytes(signedDocument({ content, version, createdAt, keyId })), privateKey).toString("base64");
  return { bundle: { version, createdAt, keyId, contentHash, content, signature }, publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString() };
}

// ---- central, as the enforcer's peer: serves the bundle (long-poll), takes decisions and heartbeats ----

const DECIDED_AT = Buffer.from('"decidedAt"');

async function startCentral(bundle: SignedBundle, token: string): Promise<{ url: string; decisions: () => number; close: () => Promise<void> }> {
  const etag = `"${bundle.version}-${bundle.contentHash.slice(7, 23)}"`;
  const body = JSON.stringify(bundle);
  let decisions = 0;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/api/v1/enforcement/bundle") {
        if (req.headers["if-none-match"] !== etag) return void res.writeHead(200, { etag, "content-type": "application/json" }).end(body);
        const timer = setTimeout(() => res.writeHead(304, { etag }).end(), Number(url.searchParams.get("wait") ?? 0) * 1000);
        return void req.socket.once("close", () => clearTimeout(timer));
      }
      if (url.pathname !== "/api/v1/enforcement/decisions") return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
      // Inflated off the main thread and counted in place, without parsing or even making text of it:
      // this process is also the load generator, and splitting a batch's ~800 KB as text stalled it
      // for ~4 ms a flush, time that counted as the enforcer's latency.
      const payload = Buffer.concat(chunks);
      const count = (b: Buffer) => {
        for (let i = b.indexOf(DECIDED_AT); i !== -1; i = b.indexOf(DECIDED_AT, i + DECIDED_AT.length)) decisions++;
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      };
      if (req.headers["content-encoding"] === "gzip") gunzip(payload, (err, b) => (err ? res.writeHead(400).end() : count(b)));
      else count(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    decisions: () => decisions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- the two servers under test, each a child process ----

const EMPTY_ANSWER = JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "", allowed: true } });

/** The baseline (run as a child: BULWARK_BENCH_ROLE=empty-handler): HTTPS, reads the body, answers without judging. */
async function serveEmptyHandler(): Promise<void> {
  const server = https.createServer({ cert: readFileSync(process.env.TLS_CERT_FILE!), key: readFileSync(process.env.TLS_KEY_FILE!), minVersion: "TLSv1.2", requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 30_000 }, (req, res) => {
    req.on("data", () => undefined);
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(EMPTY_ANSWER) });
      res.end(EMPTY_ANSWER);
    });
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ msg: "bulwark enforcer listening", port: (server.address() as AddressInfo).port })}\n`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

async function spawnServer(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  // The enforcer's own V8 flags, then BENCH_ENFORCER_NODE_ARGS (e.g. --cpu-prof, --trace-gc), for both servers; BENCH_DEBUG=1 echoes their output.
  const nodeArgs = (process.env.BENCH_ENFORCER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child = spawn(process.execPath, [...ENFORCER_NODE_FLAGS, ...nodeArgs, "--import", "tsx", script], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (process.env.BENCH_DEBUG === "1") child.stdout!.on("data", (c: Buffer) => process.stderr.write(c));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${out}`)), 30_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const line = out.split("\n").find((l) => l.includes('"bulwark enforcer listening"'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return { child, port };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

// ---- the open-loop load generator ----

interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  latenciesMs: number[];
  seconds: number;
  statusSample: string;
}

function post(agent: https.Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: "127.0.0.1", port, path: "/validate", method: "POST", agent, servername: "localhost", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    // As the API server's Go client does: no Nagle delay on the webhook connection.
    req.setNoDelay(true);
    req.end(body);
  });
}

async function offerLoad(agent: https.Agent, port: number, template: { before: string; after: string }, rate: number, seconds: number): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latenciesMs: number[] = [];
  let ok = 0;
  let errors = 0;
  let statusSample = "";
  let sent = 0;
  const start = performance.now();
  let lastDone = start;
  const pending: Promise<void>[] = [];
  const debug = process.env.BENCH_DEBUG === "1";
  const slowest: Array<[number, number]> = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        const body = `${template.before}${randomUUID()}${template.after}`;
        sent++;
        pending.push(
          post(agent, port, body).then(
            (r) => {
              lastDone = performance.now();
              latenciesMs.push(lastDone - due);
              if (debug) slowest.push([lastDone - due, due - start]);
              if (r.status === 200) ok++;
              else errors++;
              if (statusSample === "") statusSample = r.text.slice(0, 300);
            },
            () => {
              errors++;
            },
          ),
        );
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  if (debug) console.error(`slowest (latency ms @ scheduled ms): ${slowest.sort((a, b) => b[0] - a[0]).slice(0, 40).map(([l, t]) => `${l.toFixed(1)}@${t.toFixed(0)}`).join(" ")}`);
  return { sent, ok, errors, latenciesMs, seconds: (lastDone - start) / 1000, statusSample };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarize(r: LoadResult) {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, rate: r.ok / r.seconds, ...r };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const signedMs = (n: number) => `${n >= 0 ? "+" : "−"}${ms(Math.abs(n))}`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function measure(port: number, ca: Buffer, template: { before: string; after: string }) {
  // The warm-up (JIT, and the keep-alive connections with their TLS handshakes, which the API server
  // also keeps open to a webhook) is not counted; the measured run reuses its connections.
  const agent = new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ca });
  try {
    await offerLoad(agent, port, template, RATE, WARMUP_SECONDS);
    return summarize(await offerLoad(agent, port, template, RATE, SECONDS));
  } finally {
    agent.destroy();
  }
}

export async function runEnforcerBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bulwark-enforcer-bench-"));
  const children: ChildProcess[] = [];
  let central: Awaited<ReturnType<typeof startCentral>> | null = null;
  try {
    const certFile = path.join(dir, "tls.crt");
    const keyFile = path.join(dir, "tls.key");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
    const ca = readFileSync(certFile);
    const token = `bwk_bench_${randomUUID()}`;
    const { bundle, publicKeyPem } = signedBundle();
    central = await startCentral(bundle, token);
    const template = reviewTemplate();

    const empty = await spawnServer(path.join(REPO, "bench/enforcer.bench.ts"), { BULWARK_BENCH_ROLE: "empty-handler", TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    children.push(empty.child);
    const enforcer = await spawnServer(path.join(REPO, "apps/enforcer/src/main.ts"), {
      NODE_ENV: "production",
      BULWARK_URL: central.url,
      BULWARK_TOKEN: token,
      BULWARK_PUBLIC_KEY: publicKeyPem,
      CLUSTER_NAME: "bench",
      TLS_CERT_FILE: certFile,
      TLS_KEY_FILE: keyFile,
      HOST: "127.0.0.1",
      PORT: "0",
      STATE_DIR: path.join(dir, "state"),
      // Reviews are logged at debug only; info prints start-up lines (the port among them).
      LOG_LEVEL: "info",
      SHUTDOWN_DELAY_MS: "0",
    });
    children.push(enforcer.child);
    const agent = new https.Agent({ ca });
    for (let i = 0; ; i++) {
      const ready = await new Promise<number>((resolve) => https.get({ host: "127.0.0.1", port: enforcer.port, path: "/readyz", agent, servername: "localhost" }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", () => resolve(0)));
      if (ready === 200) break;
      if (i > 100) throw new Error("the enforcer did not load the bundle");
      await new Promise((r) => setTimeout(r, 100));
    }
    agent.destroy();
    const sample = await post(new https.Agent({ ca }), enforcer.port, `${template.before}${randomUUID()}${template.after}`);
    const verdict = JSON.parse(sample.text) as { response: { allowed: boolean; warnings?: string[] } };

    const base = await measure(empty.port, ca, template);
    const enf = await measure(enforcer.port, ca, template);
    await stop(enforcer.child);
    const reported = central.decisions();

    const bytes = Buffer.byteLength(`${template.before}${randomUUID()}${template.after}`);
    console.log(
      `data: AdmissionReview v1 of a 3-container Deployment (${fmt(bytes)} bytes), bundle of ${bundle.content.policies.length} built-ins (${ENFORCED.length} ENFORCE), answered ${verdict.response.allowed ? "allowed" : "denied"} with ${verdict.response.warnings?.length ?? 0} warning(s)`,
    );
    console.log(`load: ${fmt(RATE)} req/s offered for ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up), open loop, HTTPS on loopback, keep-alive ≤ ${MAX_SOCKETS} sockets; latency from the scheduled send time`);
    console.log(`servers: node ${[...ENFORCER_NODE_FLAGS, process.env.BENCH_ENFORCER_NODE_ARGS ?? ""].join(" ").trim()} --import tsx (the enforcer's flags, as its image runs it)`);
    const line = (name: string, r: ReturnType<typeof summarize>) =>
      `${name}: p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; ${fmt(r.rate)} req/s achieved (${fmt(r.ok)} ok, ${r.errors} errors)`;
    console.log(line("empty HTTPS handler (same TLS, reads the body, fixed answer)", base));
    console.log(line("enforcer (parse, judge with 21 policies, answer, queue the decision)", enf));
    console.log(`enforcer cost over the empty handler: p50 ${signedMs(enf.p50 - base.p50)}, p99 ${signedMs(enf.p99 - base.p99)}; decisions reported to central (warm-up included): ${fmt(reported)} of ${fmt(RATE * (SECONDS + WARMUP_SECONDS) + 1)}`);
    console.log(`p99 ${ms(enf.p99)} (target < ${TARGET_P99_MS} ms) → ${enf.p99 < TARGET_P99_MS && enf.errors === 0 ? "PASS" : "BELOW TARGET"}`);
  } finally {
    await Promise.all(children.map(stop));
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BULWARK_BENCH_ROLE === "empty-handler") await serveEmptyHandler();
