import { Backoff, sleep } from "./backoff.ts";
import { type BundleHolder } from "./bundle-state.ts";
import { Central, CentralError } from "./central.ts";
import { type Logger } from "./logger.ts";
import { type Metrics } from "./metrics.ts";

// Keeps the bundle current: GET /api/v1/enforcement/bundle with If-None-Match naming the bundle in
// force and ?wait= (central holds the request until a newer bundle exists or the wait ends: 304).
// So a policy change reaches every enforcer within about a second, with one open request each.
// Errors and rejected bundles back off (1 s doubling to a minute): central being down, or serving
// something that does not verify, must not turn into a tight loop.

export const BUNDLE_PATH = "/api/v1/enforcement/bundle";
/** How long a poll may take beyond the long-poll wait before it counts as hung. */
const GRACE_MS = 30_000;
/** A 304 sooner than this (a server that does not long-poll) waits the rest before asking again. */
const MIN_POLL_INTERVAL_MS = 1000;

export type PollResult = "updated" | "unchanged" | "rejected" | "error";

export interface BundleClientOptions {
  central: Central;
  holder: BundleHolder;
  waitSeconds: number;
  log: Logger;
  metrics: Metrics;
  backoff?: Backoff;
}

export class BundleClient {
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly backoff: Backoff;
  private lastError: string | null = null;

  constructor(private readonly opts: BundleClientOptions) {
    this.backoff = opts.backoff ?? new Backoff();
  }

  /** One request; `wait` 0 asks without long-polling. */
  async pollOnce(signal?: AbortSignal, wait = this.opts.waitSeconds): Promise<PollResult> {
    const active = this.opts.holder.active;
    const query = active && wait > 0 ? `?wait=${wait}` : "";
    let res: Response;
    try {
      res = await this.opts.central.request(`${BUNDLE_PATH}${query}`, {
        headers: active ? { "if-none-match": active.etag } : {},
        timeoutMs: wait * 1000 + GRACE_MS,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      return this.failed(err instanceof CentralError ? err.message : String(err));
    }
    if (res.status === 304) {
      await res.body?.cancel();
      this.recovered();
      return "unchanged";
    }
    if (res.status !== 200) {
      const why = await Central.describe(res);
      if (res.status === 401 || res.status === 403) return this.failed(`central refused the token (${why}); it needs the "enforcement" scope`);
      return this.failed(`central answered ${why}`);
    }
    let raw: unknown;
    try {
      raw = await res.json();
    } catch {
      return this.failed("central's bundle is not JSON");
    }
    const offer = await this.opts.holder.offer(raw, "central");
    if (!offer.accepted) return "rejected";
    this.recovered();
    return offer.changed ? "updated" : "unchanged";
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        const started = Date.now();
        const result = await this.pollOnce(signal);
        if (signal.aborted) break;
        if (result === "error" || result === "rejected") await sleep(this.backoff.next(), signal);
        else {
          this.backoff.reset();
          const elapsed = Date.now() - started;
          if (result === "unchanged" && elapsed < MIN_POLL_INTERVAL_MS) await sleep(MIN_POLL_INTERVAL_MS - elapsed, signal);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = null;
  }

  private failed(reason: string): PollResult {
    this.opts.metrics.inc("bulwark_enforcer_bundle_fetch_errors_total", "Failed bundle requests to central");
    // Say it once per outage (and again when the reason changes), not every retry.
    if (reason !== this.lastError) this.opts.log.warn({ reason, inForce: this.opts.holder.active?.bundle.version ?? null }, "cannot fetch the policy bundle; retrying with backoff");
    this.lastError = reason;
    return "error";
  }

  private recovered(): void {
    if (this.lastError !== null) this.opts.log.info({ inForce: this.opts.holder.active?.bundle.version ?? null }, "central reachable again");
    this.lastError = null;
  }
}
