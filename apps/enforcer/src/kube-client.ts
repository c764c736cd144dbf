import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { ENFORCER_VERSION } from "./version.ts";

// The two Kubernetes API calls runtime responses need, over node:https with the pod's service account
// (or an explicit API URL, token and CA): no client library for two requests. The token is read from
// its file again after a minute, because projected service account tokens are rotated by the kubelet.

export const IN_CLUSTER_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";
export const IN_CLUSTER_CA_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

export interface KubeConfig {
  /** https://host:port (http only with `insecure`, for tests). */
  apiUrl: string;
  tokenFile: string;
  /** PEM bundle trusted for the API server; null: the system CAs. */
  caFile: string | null;
  /** Skip certificate verification and allow http (tests and local clusters only). */
  insecure: boolean;
}

export interface KubeAnswer {
  status: number;
  text: string;
}

const TIMEOUT_MS = 10_000;
const TOKEN_TTL_MS = 60_000;
const MAX_ANSWER = 8_000;

type ReadFile = (path: string) => string;

export class KubeClient {
  private token: { value: string; at: number } | null = null;
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(
    private readonly config: KubeConfig,
    private readonly read: ReadFile = (p) => readFileSync(p, "utf8"),
  ) {
    this.url = new URL(config.apiUrl);
    const ca = config.caFile ? this.read(config.caFile) : undefined;
    this.agent =
      this.url.protocol === "https:"
        ? new https.Agent({ keepAlive: true, maxSockets: 4, ...(ca ? { ca } : {}), rejectUnauthorized: !config.insecure })
        : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  private bearer(): string {
    const now = Date.now();
    if (!this.token || now - this.token.at > TOKEN_TTL_MS) this.token = { value: this.read(this.config.tokenFile).trim(), at: now };
    return this.token.value;
  }

  /** One request; network failures and timeouts reject with a short message. */
  request(method: "DELETE" | "PATCH", path: string, body?: { contentType: string; json: unknown }): Promise<KubeAnswer> {
    const target = new URL(`${this.url.pathname.replace(/\/+$/, "")}${path}`, this.url);
    const data = body ? JSON.stringify(body.json) : undefined;
    return new Promise((resolve, reject) => {
      const req = (target.protocol === "https:" ? https : http).request(
        target,
        {
          method,
          agent: this.agent,
          timeout: TIMEOUT_MS,
          headers: {
            authorization: `Bearer ${this.bearer()}`,
            accept: "application/json",
            "user-agent": `bulwark-enforcer/${ENFORCER_VERSION}`,
            ...(data !== undefined ? { "content-type": body!.contentType, "content-length": Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            if (text.length < MAX_ANSWER) text += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          res.on("error", (err) => reject(new Error(`${method} ${path}: ${err.message}`)));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`timed out after ${TIMEOUT_MS} ms`)));
      req.on("error", (err: NodeJS.ErrnoException) => reject(new Error(`${method} ${path}: ${err.code ?? err.message}`)));
      req.end(data);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The API server's own message from a Status body, else the start of the text. */
export function kubeMessage(answer: KubeAnswer): string {
  try {
    const status = JSON.parse(answer.text) as { message?: unknown; reason?: unknown };
    if (typeof status.message === "string" && status.message !== "") return status.message;
    if (typeof status.reason === "string") return status.reason;
  } catch {
    // not JSON: fall through
  }
  return answer.text.slice(0, 300);
}
