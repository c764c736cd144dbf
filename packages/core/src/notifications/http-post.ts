// Outbound POSTs to channel endpoints. Bounded in every direction: one deadline for the whole exchange
// (redirects and response body included), a cap on what is read back, and redirects followed only on
// the same host (an endpoint must not be able to bounce the signed alert somewhere else). Errors are
// short and name no URL, since channel URLs may carry tokens.

export const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface PostResult {
  ok: boolean;
  status: number | null;
  /** Why it failed (no URL, no response body). */
  error: string | null;
}

export interface PostOptions {
  timeoutMs: number;
  maxResponseBytes?: number;
}

/** Reads (and discards) at most `max` bytes, so the connection can be reused and a huge answer costs nothing. */
async function drain(res: Response, max: number): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > max) {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  } catch {
    // A body that breaks off after the status line does not change the outcome.
  }
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed TLS certificate in chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host",
};

export function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError" || e.cause?.name === "TimeoutError") return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  const code = e.cause?.code ?? e.code;
  if (code && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  return code ? `network error (${code})` : "network error";
}

export async function postJson(url: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<PostResult> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const max = opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  let target = new URL(url);
  const host = target.hostname;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(target, { method: "POST", body, headers: { "user-agent": "Bulwark-Notifications/1", ...headers }, redirect: "manual", signal });
      if (REDIRECTS.has(res.status)) {
        await drain(res, max);
        const location = res.headers.get("location");
        if (!location || hop >= MAX_REDIRECTS) return { ok: false, status: res.status, error: `HTTP ${res.status}: too many redirects` };
        const next = new URL(location, target);
        // Same host only, and never from https down to http: the signed body and headers go where the admin said.
        if (next.hostname !== host || (target.protocol === "https:" && next.protocol !== "https:")) {
          return { ok: false, status: res.status, error: `HTTP ${res.status}: redirect to another host refused` };
        }
        target = next;
        continue;
      }
      await drain(res, max);
      return res.ok ? { ok: true, status: res.status, error: null } : { ok: false, status: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText.slice(0, 60)}` : ""}` };
    }
  } catch (err) {
    return { ok: false, status: null, error: describeNetworkError(signal.aborted ? Object.assign(new Error("timeout"), { name: "TimeoutError" }) : err, opts.timeoutMs) };
  }
}
