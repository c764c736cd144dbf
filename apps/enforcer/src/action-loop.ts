import { z } from "zod";
import { Backoff, sleep } from "./backoff.ts";
import { Central, CentralError } from "./central.ts";
import { type Logger } from "./logger.ts";
import { type Metrics } from "./metrics.ts";
import { type ActionOutcome, type ResponseAction, type ResponseExecutor } from "./response-executor.ts";

// Runtime response actions: claims the actions central holds for this cluster (GET
// /api/v1/enforcement/actions, long-polled up to the poll interval), carries each out (or reports it
// skipped when not configured to act), and reports every result. Central offers an action claimed but
// never answered again after five minutes, so a result lost with this process is not lost for good;
// results are retried a few times, and a 409 (another point re-claimed it, or it was answered) ends it.

export const ACTIONS_PATH = "/api/v1/enforcement/actions";
const CLAIM_LIMIT = 10;
const MAX_WAIT_SECONDS = 30;
const GRACE_MS = 30_000;
const REPORT_TIMEOUT_MS = 10_000;
const REPORT_ATTEMPTS = 3;

const claimedSchema = z.object({
  actions: z.array(
    z.object({ id: z.string().min(1), action: z.string(), namespace: z.string(), kind: z.string(), name: z.string(), pod: z.string().nullable(), policy: z.string(), reason: z.string() }),
  ),
});

export type PollOutcome = "acted" | "idle" | "error";

export interface ActionLoopOptions {
  central: Central;
  enforcerName: string;
  pollSeconds: number;
  executor: ResponseExecutor;
  log: Logger;
  metrics: Metrics;
  backoff?: Backoff;
  /** Pause between report retries (tests shorten it). */
  retryDelayMs?: number;
}

export class ActionLoop {
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly backoff: Backoff;
  private lastError: string | null = null;

  constructor(private readonly opts: ActionLoopOptions) {
    this.backoff = opts.backoff ?? new Backoff();
  }

  /** One claim request and the actions it returned, carried out and reported one by one. */
  async pollOnce(signal?: AbortSignal, wait = Math.min(this.opts.pollSeconds, MAX_WAIT_SECONDS)): Promise<PollOutcome> {
    const query = `?point=${encodeURIComponent(this.opts.enforcerName)}&limit=${CLAIM_LIMIT}&wait=${wait}`;
    let res: Response;
    try {
      res = await this.opts.central.request(`${ACTIONS_PATH}${query}`, { timeoutMs: wait * 1000 + GRACE_MS, ...(signal ? { signal } : {}) });
    } catch (err) {
      // Stopping cuts the long-poll short: that is not an outage.
      if (signal?.aborted) return "idle";
      return this.failed(err instanceof CentralError ? err.message : String(err));
    }
    if (res.status !== 200) {
      const why = await Central.describe(res);
      if (res.status === 404) return this.failed(`central does not know enforcement point ${this.opts.enforcerName} for this token yet (${why}); its heartbeat creates it`);
      if (res.status === 401 || res.status === 403) return this.failed(`central refused the token (${why}); it needs the "enforcement" scope`);
      return this.failed(`central answered ${why}`);
    }
    const parsed = claimedSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) return this.failed("central's action list is not in the expected shape");
    this.recovered();
    for (const action of parsed.data.actions) {
      // Stopping: leave the rest; central offers claims left unanswered again after five minutes.
      if (signal?.aborted) break;
      const outcome = await this.opts.executor.execute(action);
      this.opts.metrics.inc("bulwark_enforcer_response_actions_total", "Response actions carried out, by action and result", { action: action.action, status: outcome.status });
      this.opts.log.info({ actionId: action.id, action: action.action, namespace: action.namespace, kind: action.kind, name: action.name, pod: action.pod, policy: action.policy, status: outcome.status, message: outcome.message }, "response action");
      await this.report(action, outcome, signal);
    }
    return parsed.data.actions.length > 0 ? "acted" : "idle";
  }

  private async report(action: ResponseAction, outcome: ActionOutcome, signal?: AbortSignal): Promise<boolean> {
    const body = JSON.stringify({ enforcementPoint: this.opts.enforcerName, status: outcome.status, message: outcome.message });
    let problem = "";
    for (let attempt = 1; attempt <= REPORT_ATTEMPTS; attempt++) {
      try {
        const res = await this.opts.central.request(`${ACTIONS_PATH}/${encodeURIComponent(action.id)}/result`, { method: "POST", body, timeoutMs: REPORT_TIMEOUT_MS });
        if (res.ok) {
          await res.body?.cancel();
          return true;
        }
        problem = await Central.describe(res);
        // 4xx will not change on retry (409: answered already, or claimed by another point).
        if (res.status < 500 && res.status !== 429) break;
      } catch (err) {
        problem = err instanceof CentralError ? err.message : String(err);
      }
      // Shutting down: one attempt only (an unanswered claim is offered again after five minutes).
      if (signal?.aborted) break;
      if (attempt < REPORT_ATTEMPTS) await sleep(this.opts.retryDelayMs ?? 1000 * attempt, signal);
    }
    this.opts.metrics.inc("bulwark_enforcer_response_report_errors_total", "Response action results central did not take");
    this.opts.log.warn({ actionId: action.id, status: outcome.status, problem }, "could not report a response action's result");
    return false;
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
        if (result === "error") {
          await sleep(this.backoff.next(), signal);
          continue;
        }
        this.backoff.reset();
        // Idle: the next claim after the poll interval (central may answer at once, without long-polling).
        const rest = this.opts.pollSeconds * 1000 - (Date.now() - started);
        if (result === "idle" && rest > 0) await sleep(rest, signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = null;
  }

  private failed(reason: string): PollOutcome {
    this.opts.metrics.inc("bulwark_enforcer_response_poll_errors_total", "Failed response action claims");
    if (reason !== this.lastError) this.opts.log.warn({ reason }, "cannot claim response actions; retrying with backoff");
    this.lastError = reason;
    return "error";
  }

  private recovered(): void {
    if (this.lastError !== null) this.opts.log.info("response actions: central reachable again");
    this.lastError = null;
  }
}
