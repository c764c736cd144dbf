import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { BUILTIN_POLICIES, builtinDefinition, type BundleContent, bundlePayloadBytes, type SignedBundle, signedDocument } from "@bulwark/policy";
import pino from "pino";
import { type EnforcerConfig } from "../src/env.ts";
import { keyIdOf } from "../src/verify.ts";

// Builders for the enforcer's tests: a signing key like central's, bundles signed exactly as central
// signs them, real AdmissionReview v1 bodies, and a small HTTP server on 127.0.0.1 standing in for
// central (the enforcer's peer; it speaks the bundle/decisions/heartbeat API contract).

export const silentLog = pino({ level: "silent" });

export function signingKey(): { publicKey: KeyObject; privateKey: KeyObject; keyId: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return { publicKey, privateKey, keyId: keyIdOf(publicKey) };
}

export type Key = ReturnType<typeof signingKey>;

/** Every built-in as central stores it, with per-id overrides (enforcement, clusterEnforcement, …). */
export function builtinDefinitions(overrides: Record<string, Record<string, unknown>> = {}): Record<string, unknown>[] {
  return BUILTIN_POLICIES.map((b) => ({ ...builtinDefinition(b), ...overrides[b.id] }));
}

export const ORG_ID = "org_test_acme";

export function bundleContent(policies: unknown[] = builtinDefinitions(), extra: Partial<BundleContent> = {}): BundleContent {
  return { schema: 1, orgId: ORG_ID, policies, exceptions: [], settings: { trustedRegistries: [], allowedDeployers: [], maxScanAgeHours: 168 }, ...extra };
}

export function signBundle(key: Key, version: number, content: BundleContent = bundleContent(), createdAt = new Date().toISOString()): SignedBundle {
  const contentHash = `sha256:${createHash("sha256").update(bundlePayloadBytes(content)).digest("hex")}`;
  const signature = sign(null, bundlePayloadBytes(signedDocument({ content, version, createdAt, keyId: key.keyId })), key.privateKey).toString("base64");
  return { version, createdAt, keyId: key.keyId, contentHash, content, signature };
}

export function tempDir(prefix = "bulwark-enforcer-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(key: Key, stateDir: string, over: Partial<EnforcerConfig> = {}): EnforcerConfig {
  return {
    bulwarkUrl: "http://127.0.0.1:1",
    token: "bwk_test_token",
    publicKey: key.publicKey,
    orgId: undefined,
    clusterName: "prod-eu-1",
    enforcerName: "prod-eu-1-enforcer",
    failurePolicy: "Fail",
    stateDir,
    tls: null,
    host: "127.0.0.1",
    port: 0,
    excludedNamespaces: ["kube-system", "bulwark-system"],
    breakGlassMaxHours: 24,
    decisionFlushMs: 100,
    decisionQueueMax: 20_000,
    bundleWaitSeconds: 2,
    heartbeatIntervalMs: 60_000,
    shutdownDelayMs: 0,
    logLevel: "silent",
    response: { mode: "off", pollSeconds: 1, kube: null },
    ...over,
  };
}

/** A self-signed certificate for localhost/127.0.0.1, made with the openssl binary. */
export function selfSignedCert(dir: string): { certFile: string; keyFile: string; cert: Buffer } {
  const certFile = path.join(dir, "tls.crt");
  const keyFile = path.join(dir, "tls.key");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyFile, "-out", certFile],
    { stdio: "ignore" },
  );
  return { certFile, keyFile, cert: readFileSync(certFile) };
}

// ---- AdmissionReview v1 bodies, as the API server sends them -------------------------------------

const GROUPS: Record<string, { group: string; resource: string }> = {
  Pod: { group: "", resource: "pods" },
  Deployment: { group: "apps", resource: "deployments" },
  StatefulSet: { group: "apps", resource: "statefulsets" },
};

export function review(object: Record<string, unknown>, opts: { uid?: string; operation?: string; dryRun?: boolean } = {}) {
  const meta = object.metadata as { name: string; namespace: string };
  const kind = String(object.kind);
  const g = GROUPS[kind] ?? { group: "", resource: `${kind.toLowerCase()}s` };
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: opts.uid ?? randomUUID(),
      kind: { group: g.group, version: "v1", kind },
      resource: { group: g.group, version: "v1", resource: g.resource },
      requestKind: { group: g.group, version: "v1", kind },
      requestResource: { group: g.group, version: "v1", resource: g.resource },
      name: meta.name,
      namespace: meta.namespace,
      operation: opts.operation ?? "CREATE",
      userInfo: { username: "system:serviceaccount:ci:deployer", uid: "9f1c", groups: ["system:serviceaccounts", "system:authenticated"] },
      object,
      oldObject: null,
      dryRun: opts.dryRun ?? false,
      options: { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions" },
    },
  };
}

const container = (name: string, image: string, securityContext: Record<string, unknown> = {}) => ({ name, image, securityContext, resources: { limits: { cpu: "500m", memory: "256Mi" } } });

export function privilegedPod(annotations: Record<string, string> = {}, name = `pod-${randomUUID().slice(0, 8)}`) {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "payments", annotations }, spec: { containers: [container("app", "ghcr.io/acme/api:1.2", { privileged: true })] } };
}

export function hostNetworkDeployment(name = `web-${randomUUID().slice(0, 8)}`) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "payments" },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { hostNetwork: true, hostPID: true, containers: [container("web", "nginx:1.27")] } } },
  };
}

export function statefulSetWithInitAndEphemeral(name = `db-${randomUUID().slice(0, 8)}`) {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace: "data" },
    spec: {
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          initContainers: [container("init-perms", "busybox:1.36", { privileged: true })],
          containers: [container("db", "postgres:16")],
          ephemeralContainers: [container("debug", "busybox:1.36", { privileged: true })],
        },
      },
    },
  };
}

// ---- central, as the enforcer's peer ------------------------------------------------------------

interface Recorded {
  method: string;
  path: string;
  search: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

/**
 * Speaks central's enforcement API: GET /api/v1/enforcement/bundle (ETag, If-None-Match → 304,
 * ?wait= long-poll until publish()), POST decisions and heartbeat (recorded; decisionStatuses are
 * answered in order, then 200), GET /api/v1/enforcement/actions (hands out what offer() queued, each
 * once; ?wait= long-polls) and POST …/actions/{id}/result (recorded; resultStatuses answered in order,
 * then 200). Requires the bearer token.
 */
export class FakeCentral {
  readonly requests: Recorded[] = [];
  bundle: unknown = null;
  decisionStatuses: number[] = [];
  heartbeatStatus = 200;
  /** Actions the next claim hands out. */
  actions: Record<string, unknown>[] = [];
  resultStatuses: number[] = [];
  private waiters: Array<() => void> = [];
  private server: http.Server | null = null;
  port = 0;

  constructor(readonly token = "bwk_test_token") {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get decisionBatches(): { enforcementPoint: string; decisions: Record<string, unknown>[] }[] {
    return this.requests.filter((r) => r.path === "/api/v1/enforcement/decisions" && r.method === "POST").map((r) => r.body as { enforcementPoint: string; decisions: Record<string, unknown>[] });
  }

  get heartbeats(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path === "/api/v1/enforcement/heartbeat").map((r) => r.body as Record<string, unknown>);
  }

  get actionResults(): { id: string; enforcementPoint: string; status: string; message?: string }[] {
    return this.requests
      .filter((r) => r.method === "POST" && /^\/api\/v1\/enforcement\/actions\/[^/]+\/result$/.test(r.path))
      .map((r) => ({ id: decodeURIComponent(r.path.split("/")[5]!), ...(r.body as { enforcementPoint: string; status: string; message?: string }) }));
  }

  get claims(): Recorded[] {
    return this.requests.filter((r) => r.method === "GET" && r.path === "/api/v1/enforcement/actions");
  }

  /** Queues actions for the next claim and ends pending long-polls. */
  offer(...actions: Record<string, unknown>[]): void {
    this.actions.push(...actions);
    this.publish(this.bundle);
  }

  /** Serves `bundle` from now on and ends every pending long-poll. */
  publish(bundle: unknown): void {
    this.bundle = bundle;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private etag(): string | null {
    const b = this.bundle as { version?: number; contentHash?: string } | null;
    return b && typeof b.version === "number" && typeof b.contentHash === "string" ? `"${b.version}-${b.contentHash.replace(/^sha256:/, "").slice(0, 16)}"` : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://x");
    const raw = Buffer.concat(chunks);
    const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
    this.requests.push({ method: req.method ?? "", path: url.pathname, search: url.search, headers: req.headers, body: text ? (JSON.parse(text) as unknown) : null });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(401, { title: "Unauthorized" });
    if (url.pathname === "/api/v1/enforcement/bundle") {
      const wait = Number(url.searchParams.get("wait") ?? 0);
      const matches = () => this.etag() !== null && req.headers["if-none-match"] === this.etag();
      if (this.bundle === null) return json(503, { title: "Unavailable" });
      if (matches() && wait > 0) await this.waitForChange(wait);
      const etag = this.etag() ?? '"0"';
      if (matches()) {
        res.writeHead(304, { etag });
        return void res.end();
      }
      return json(200, this.bundle, { etag });
    }
    if (url.pathname === "/api/v1/enforcement/decisions") {
      const status = this.decisionStatuses.shift() ?? 200;
      return json(status, status === 200 ? { received: (this.requests.at(-1)?.body as { decisions: unknown[] }).decisions.length } : { title: "Unavailable" });
    }
    if (url.pathname === "/api/v1/enforcement/heartbeat") return json(this.heartbeatStatus, {});
    if (url.pathname === "/api/v1/enforcement/actions") {
      const wait = Number(url.searchParams.get("wait") ?? 0);
      if (this.actions.length === 0 && wait > 0) await this.waitForChange(wait);
      const limit = Number(url.searchParams.get("limit") ?? 10);
      const actions = this.actions.splice(0, limit).map((a) => ({ claimedAt: new Date().toISOString(), ...a }));
      return json(200, { enforcementPoint: { id: "ep1", name: url.searchParams.get("point") }, actions });
    }
    if (/^\/api\/v1\/enforcement\/actions\/[^/]+\/result$/.test(url.pathname)) {
      const status = this.resultStatuses.shift() ?? 200;
      return json(status, status === 200 ? { id: url.pathname.split("/")[5] } : { title: status === 409 ? "Conflict" : "Unavailable" });
    }
    json(404, { title: "Not Found" });
  }

  private waitForChange(seconds: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async start(port = 0): Promise<this> {
    // A client that goes away mid-request (an enforcer stopping during a long-poll) aborts the body
    // read; that is its business, not an error of the fake central.
    this.server = http.createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Central goes away: pending long-polls are cut and the port refuses connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Polls until `check` holds (or throws its last error after `ms`). */
export async function eventually(check: () => void | Promise<void>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
