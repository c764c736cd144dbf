import { readFileSync, statSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { type AddressInfo } from "node:net";
import { exceedsDepth, MAX_REVIEW_BYTES, MAX_REVIEW_DEPTH, reviewUid } from "@bulwark/policy";
import { type Decider, type Decision } from "./decide.ts";
import { type Logger } from "./logger.ts";
import { type Metrics } from "./metrics.ts";

// The webhook's HTTP surface. POST /validate (and /) takes an AdmissionReview v1 and always answers
// 200 with an AdmissionReview: whatever the API server sent, however broken or large, the failure
// policy decides and the request never hangs or gets a 5xx. GET /healthz (alive), /readyz (has a
// bundle, or fails open without one), /metrics (Prometheus text).

export interface HandlerDeps {
  decider: Decider;
  ready: () => boolean;
  metrics: Metrics;
  log: Logger;
  /** Called with every judged review that carries a record (the decisions reporter). */
  onDecision: (decision: Decision) => void;
  now?: () => Date;
}

const JSON_HEADERS = { "content-type": "application/json" };

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = JSON_HEADERS): void {
  res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** The answer to a review, headers as a flat list (no header object to build per review). */
function sendReview(res: ServerResponse, body: string): void {
  res.writeHead(200, ["content-type", "application/json", "content-length", String(Buffer.byteLength(body))]);
  res.end(body);
}

export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const now = deps.now ?? (() => new Date());
  // Counters of the hot path, resolved once (per outcome on first use).
  const reviewsBy = new Map<Decision["outcome"], () => void>();
  const judgedSeconds = deps.metrics.counter("bulwark_enforcer_review_seconds_sum", "Total time spent judging reviews, seconds");
  const countReview = (outcome: Decision["outcome"]) => {
    let inc = reviewsBy.get(outcome);
    if (!inc) {
      inc = deps.metrics.counter("bulwark_enforcer_reviews_total", "Admission reviews answered, by outcome", { outcome });
      reviewsBy.set(outcome, inc);
    }
    inc();
  };

  const answer = (res: ServerResponse, decision: Decision, started: number) => {
    countReview(decision.outcome);
    judgedSeconds((performance.now() - started) / 1e3);
    if (decision.record) deps.onDecision(decision);
    if (decision.outcome === "malformed" || decision.outcome === "error") deps.log.warn({ uid: decision.response.response.uid, allowed: decision.response.response.allowed, message: decision.response.response.status?.message ?? decision.response.response.warnings?.[0] }, "admission review could not be judged");
    else if (decision.outcome === "break-glass") deps.log.warn({ uid: decision.record?.uid, breakGlass: decision.record?.breakGlass, object: `${decision.record?.kind} ${decision.record?.namespace}/${decision.record?.name}`, user: decision.record?.userInfo.username }, "break-glass admission");
    // Checked first: the line's fields would be built for nothing on every review at the usual level.
    else if (deps.log.isLevelEnabled("debug")) deps.log.debug({ uid: decision.record?.uid, outcome: decision.outcome }, "admission review");
    sendReview(res, JSON.stringify(decision.response));
  };

  const review = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_REVIEW_BYTES) {
      // Answer at once and close: nothing that large is worth reading.
      res.setHeader("connection", "close");
      answer(res, deps.decider.failure("", `the AdmissionReview is larger than ${MAX_REVIEW_BYTES} bytes`), started);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_REVIEW_BYTES) {
        done = true;
        chunks.length = 0;
        res.setHeader("connection", "close");
        answer(res, deps.decider.failure("", `the AdmissionReview is larger than ${MAX_REVIEW_BYTES} bytes`), started);
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => {
      done = true;
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      let body: unknown;
      try {
        body = JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8"));
      } catch {
        return answer(res, deps.decider.failure("", "the body is not JSON"), started);
      }
      if (exceedsDepth(body, MAX_REVIEW_DEPTH)) {
 return answer(res, deps.decider.failure(reviewUid(body), `the AdmissionReview is nested deeper than ${MAX_REVIEW_DEPTH} levels`), started);
      }
      let decision: Decision;
      try {
        decision = deps.decider.decide(body, now());
      } catch {
        decision = deps.decider.failure("", "an internal error occurred");
      }
      answer(res, decision, started);
    });
  };

  return (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    if (path === "/validate" || path === "/") {
      if (req.method !== "POST") return send(res, 405, JSON.stringify({ title: "Method Not Allowed" }), { ...JSON_HEADERS, allow: "POST" });
      return review(req, res);
    }
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, JSON.stringify({ title: "Method Not Allowed" }), { ...JSON_HEADERS, allow: "GET" });
    if (path === "/healthz") return send(res, 200, "ok\n", { "content-type": "text/plain" });
    if (path === "/readyz") return deps.ready() ? send(res, 200, "ready\n", { "content-type": "text/plain" }) : send(res, 503, "no policy bundle yet\n", { "content-type": "text/plain" });
    if (path === "/metrics") return send(res, 200, deps.metrics.text(), { "content-type": "text/plain; version=0.0.4" });
    send(res, 404, JSON.stringify({ title: "Not Found" }));
  };
}

export interface RunningServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  host: string;
  port: number;
  tls: { certFile: string; keyFile: string } | null;
  log: Logger;
}

/** Re-reads certificate and key when they change on disk (cert-manager renews into the mounted Secret). */
const TLS_RELOAD_MS = 60_000;

export async function startServer(opts: ServerOptions, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RunningServer> {
  const timeouts = { requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 30_000 };
  let server: http.Server;
  let reload: NodeJS.Timeout | null = null;
  if (opts.tls) {
    const { certFile, keyFile } = opts.tls;
    const stamp = () => `${statSync(certFile).mtimeMs}:${statSync(keyFile).mtimeMs}`;
    let seen = stamp();
    const tlsServer = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: "TLSv1.2", ...timeouts }, handler);
    reload = setInterval(() => {
      try {
        const now = stamp();
        if (now === seen) return;
        tlsServer.setSecureContext({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: "TLSv1.2" });
        seen = now;
        opts.log.info({ certFile }, "reloaded the TLS certificate");
      } catch (err) {
        opts.log.error({ err, certFile }, "cannot reload the TLS certificate; keeping the current one");
      }
    }, TLS_RELOAD_MS);
    reload.unref();
    server = tlsServer;
  } else {
    server = http.createServer(timeouts, handler);
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (reload) clearInterval(reload);
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
