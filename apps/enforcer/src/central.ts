import http from "node:http";
import https from "node:https";
import { createGzip } from "node:zlib";
import { ENFORCER_VERSION } from "./version.ts";

// Requests to central Bulwark with the enforcement token. Every request has a deadline: a hung
// connection must never stall bundle updates, decision reports or heartbeats forever.

/** Resolves when a stream can take more, or is gone (its 'error' is handled where it is piped). */
function drained(stream: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

export interface CentralOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export class CentralError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "CentralError";
  }
}

export class Central {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: CentralOptions) {
    this.fetchImpl = opts.fetch ?? fetch;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  /** A request to `path` (e.g. /api/v1/enforcement/bundle); network failures and timeouts throw CentralError. */
  async request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Response> {
    const signals = [AbortSignal.timeout(init.timeoutMs), ...(init.signal ? [init.signal] : [])];
    try {
      return await this.fetchImpl(`${this.opts.baseUrl}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          "user-agent": `bulwark-enforcer/${ENFORCER_VERSION}`,
          accept: "application/json",
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message;
      const name = (err as Error).name;
      const what = name === "TimeoutError" ? `timed out after ${init.timeoutMs} ms` : name === "AbortError" ? "aborted" : (cause ?? (err as Error).message);
      throw new CentralError(`${init.method ?? "GET"} ${path}: ${what}`, null);
    }
  }

  /**
   * POSTs a JSON body given as pieces (text or bytes), gzip-compressed and streamed (node:http, zlib
   * in the thread pool): a batch of a thousand decisions is never one megabyte-sized string or buffer, and
   * each piece is produced in its own turn of the event loop, so sending it never holds up the
   * admission reviews this process answers (fetch with web streams cost several times the CPU).
   */
  postGzip(path: string, pieces: AsyncIterable<string | Buffer>, timeoutMs: number): Promise<{ status: number; text: string }> {
    const url = new URL(`${this.opts.baseUrl}${path}`);
    const secure = url.protocol === "https:";
    const gzip = createGzip({ level: 1 });
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        // Central answered (or failed) before the whole body was sent: stop producing it, and drop
        // the connection (a half-sent request cannot be reused).
        if (!gzip.writableEnded) {
          gzip.destroy();
          req.destroy();
        }
      };
      const fail = (what: string) => {
        if (settled) return;
        settle();
        reject(new CentralError(`POST ${path}: ${what}`, null));
      };
      const req = (secure ? https : http).request(
        url,
        {
          method: "POST",
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { authorization: `Bearer ${this.opts.token}`, "user-agent": `bulwark-enforcer/${ENFORCER_VERSION}`, accept: "application/json", "content-type": "application/json", "content-encoding": "gzip" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            if (text.length < 4000) text += c;
          });
          res.on("end", () => {
            if (settled) return;
            settle();
            resolve({ status: res.statusCode ?? 0, text });
          });
          res.on("error", (err) => fail(err.message));
        },
      );
      const timer = setTimeout(() => {
        fail(`timed out after ${timeoutMs} ms`);
        req.destroy();
      }, timeoutMs);
      req.on("error", (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
      gzip.on("error", (err) => req.destroy(err));
      gzip.pipe(req);
      void (async () => {
        for await (const piece of pieces) {
          if (settled) return;
          if (!gzip.write(piece)) await drained(gzip);
          await new Promise((r) => setImmediate(r));
        }
        if (!settled) gzip.end();
      })().catch((err: unknown) => req.destroy(err as Error));
    });
  }

  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 2 });

  /** Closes idle keep-alive connections (at shutdown). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** A short text of an error response (RFC 9457 problem detail when central sent one). */
  static async describe(res: Response): Promise<string> {
    return Central.describeText(res.status, (await res.text().catch(() => "")).slice(0, 2000));
  }

  static describeText(status: number, text: string): string {
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string; errors?: unknown };
      return [`HTTP ${status}`, problem.title, problem.detail, problem.errors ? JSON.stringify(problem.errors).slice(0, 500) : undefined].filter(Boolean).join(": ");
    } catch {
      return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
    }
  }
}
