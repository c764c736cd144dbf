import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import pkg from "../package.json" with { type: "json" };
import { CliError, EXIT_ERROR, EXIT_USAGE } from "./output.ts";

// A small HTTP client for the connector API: gzip bodies, one Idempotency-Key per invocation reused on
// every retry (so a retried upload is stored once), and retries with backoff on network errors, 429
// (honouring Retry-After) and 502/503/504.

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  /** Retries after the first attempt. */
  retries?: number;
  /** First backoff in ms; doubles each time. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface AcceptedReport {
  id: string;
  status: string;
  statusUrl: string;
}

export interface ReportStatus {
  id: string;
  kind: string;
  status: "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
  counts: Record<string, unknown>;
  error: string | null;
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const fields = (problem.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join("");
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    // The request itself was wrong (and would be again): a usage error, not a transient one.
    super(`server answered ${status}: ${detail}${fields}`, [400, 413, 415, 422].includes(status) ? EXIT_USAGE : EXIT_ERROR);
  }
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export class ApiClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: ApiClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, "");
    this.fetch = opts.fetchImpl ?? fetch;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Sends a JSON report (already validated as JSON by the caller) and returns the 202 answer. */
  async sendReport(method: "POST" | "PUT", path: string, json: string, idempotencyKey = randomUUID()): Promise<AcceptedReport> {
    const body = gzipSync(json);
    const res = await this.request(path, {
      method,
      body,
      headers: { "content-type": "application/json", "content-encoding": "gzip", "idempotency-key": idempotencyKey },
    });
    return (await res.json()) as AcceptedReport;
  }

  async getReport(statusUrl: string): Promise<ReportStatus> {
    const res = await this.request(statusUrl, { method: "GET" });
    return (await res.json()) as ReportStatus;
  }

  private async request(path: string, init: { method: string; body?: Uint8Array; headers?: Record<string, string> }): Promise<Response> {
    const url = path.startsWith("http") ? path : `${this.base}${path}`;
    const retries = this.opts.retries ?? 4;
    let delay = this.opts.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined;
      let networkError: unknown;
      try {
        res = await this.fetch(url, {
          method: init.method,
          body: init.body,
          headers: { authorization: `Bearer ${this.opts.token}`, "user-agent": `bulwark-cli/${pkg.version}`, accept: "application/json", ...init.headers },
        });
      } catch (err) {
        networkError = err;
      }
      if (res && res.ok) return res;
      const retryable = networkError !== undefined || (res !== undefined && RETRY_STATUSES.has(res.status));
      if (!retryable || attempt >= retries) {
        if (res) throw new ApiError(res.status, await readProblem(res));
        throw new CliError(`cannot reach ${this.base}: ${describe(networkError)}`, EXIT_ERROR);
      }
      const retryAfter = Number(res?.headers.get("retry-after"));
      await this.sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 60_000) : delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => "");
  try {
    return JSON.parse(text) as Problem;
  } catch {
    return { detail: text.slice(0, 200) || res.statusText };
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
