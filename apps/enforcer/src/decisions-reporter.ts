import { type AdmissionRecord } from "@bulwark/policy";
import { Backoff } from "./backoff.ts";
import { Central, CentralError } from "./central.ts";
import { type DecisionHandle, DecisionPages } from "./decision-pages.ts";
import { type Logger } from "./logger.ts";
import { type Metrics } from "./metrics.ts";

// Decisions go to central in batches (POST /api/v1/enforcement/decisions, at most 1,000 a batch),
// every flush interval or as soon as a batch is full. Central stores each (enforcement point, uid)
// once, so a batch whose answer was lost is simply sent again. While central is unreachable
// decisions wait in a bounded queue; when it is full the oldest are dropped and counted, so an
// outage costs memory up to a limit and never admission latency. Dry runs are not reported.

export const DECISIONS_PATH = "/api/v1/enforcement/decisions";
export const MAX_BATCH = 1000;
/** Stay well under central's body limit (BULWARK_MAX_BODY_BYTES, 10 MiB by default). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
/** Decisions per streamed piece of a batch body (~25 KB). */
const PIECE = 32;

/** One decision as the decisions API takes it (admissionDecisionBatchSchema in packages/core). */
export interface ReportedDecision {
  uid: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  operation: AdmissionRecord["operation"];
  allowed: boolean;
  warned: boolean;
  policies: string[];
  message?: string;
  userInfo: AdmissionRecord["userInfo"];
  decidedAt: string;
  violations: { policy: string; severity: string; message: string; container?: string; path?: string }[];
  breakGlass?: { reason: string; expiresAt: string; policies: string[] };
}

export function toReported(record: AdmissionRecord, cluster: string): ReportedDecision {
  return {
    uid: record.uid,
    cluster,
    namespace: record.namespace,
    kind: record.kind,
    name: record.name,
    operation: record.operation,
    allowed: record.allowed,
    warned: record.warned,
    policies: record.policies.slice(0, 500),
    ...(record.message !== null ? { message: record.message.slice(0, 4000) } : {}),
    userInfo: record.userInfo,
    decidedAt: record.decidedAt,
    // Evidence stays at the edge: the API takes what a finding shows, not raw field values.
    violations: record.violations.slice(0, 500).map((v) => ({
      policy: v.policy,
      severity: v.severity,
      message: v.message.slice(0, 2000),
      ...(v.container !== undefined ? { container: v.container } : {}),
      ...(v.path !== undefined ? { path: v.path.slice(0, 1000) } : {}),
    })),
    ...(record.breakGlass ? { breakGlass: record.breakGlass } : {}),
  };
}

/** A FIFO with O(1) shift, for a queue that may hold tens of thousands of decisions. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  unshiftAll(front: T[]): void {
    this.items = [...front, ...this.items.slice(this.head)];
    this.head = 0;
  }
}

export interface ReporterOptions {
  central: Central;
  enforcerName: string;
  cluster: string;
  flushMs: number;
  maxQueue: number;
  log: Logger;
  metrics: Metrics;
  backoff?: Backoff;
}

export class DecisionsReporter {
  /** Decisions serialized once, when queued, into pages outside the heap (see DecisionPages). */
  private readonly pages = new DecisionPages();
  private readonly queue = new Fifo<DecisionHandle>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private retryAt = 0;
  private readonly backoff: Backoff;
  private failing = false;

  constructor(private readonly opts: ReporterOptions) {
    this.backoff = opts.backoff ?? new Backoff();
    opts.metrics.gauge("bulwark_enforcer_decisions_queued", "Decisions waiting to be reported to central", () => this.queue.length);
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(record: AdmissionRecord): void {
    if (record.dryRun) return;
    this.queue.push(this.pages.store(JSON.stringify(toReported(record, this.opts.cluster))));
    this.trim();
    if (this.queue.length >= MAX_BATCH && !this.inFlight && Date.now() >= this.retryAt) void this.send(false);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.queue.length > 0 && Date.now() >= this.retryAt) void this.send(false);
    }, this.opts.flushMs);
    this.timer.unref();
  }

  /** Sends everything queued, batch by batch; stops at the first failure (the batch goes back to the front). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    await this.send(true);
  }

  /**
   * One batch, then more only while full ones are waiting (or everything, for `all`): under steady
   * load that is about one request per flush interval, well inside central's per-token rate limit.
   */
  private send(all: boolean): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = (async () => {
      try {
        do {
          if (!(await this.sendOne())) break;
        } while (this.queue.length >= MAX_BATCH || (all && this.queue.length > 0));
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }

  /** Stops the timer and sends what is left, giving up at the deadline. */
  async stop(deadlineMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    while (this.queue.length > 0 && Date.now() < until) {
      const before = this.queue.length;
      this.retryAt = 0;
      await Promise.race([this.flush(), new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())).unref())]);
      if (this.queue.length >= before) break;
    }
    if (this.queue.length > 0) this.opts.log.warn({ unsent: this.queue.length }, "stopping with decisions not reported to central");
  }

  private takeBatch(): DecisionHandle[] {
    const batch: DecisionHandle[] = [];
    let bytes = 0;
    while (batch.length < MAX_BATCH) {
      const next = this.queue.peek();
      if (next === undefined) break;
      const size = this.pages.size(next);
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(this.queue.shift()!);
      bytes += size;
    }
    return batch;
  }

  /** Decisions that central took or refused for good. */
  private release(batch: readonly DecisionHandle[]): void {
    for (const h of batch) this.pages.release(h);
  }

  private async sendOne(): Promise<boolean> {
    const batch = this.takeBatch();
    if (batch.length === 0) return false;
    const head = `{"enforcementPoint":${JSON.stringify(this.opts.enforcerName)},"decisions":[`;
    // Small pieces, streamed gzip-compressed (see Central.postGzip): far fewer bytes, and no
    // megabyte-sized string built in the process that answers admission reviews. Each piece is a
    // view of the pages the decisions wait in (see DecisionPages.text).
    const pages = this.pages;
    const body = (async function* () {
      yield head;
      for (let i = 0; i < batch.length; i += PIECE) {
        const to = Math.min(i + PIECE, batch.length);
        yield pages.text(batch, i, to, to < batch.length);
      }
      yield "]}";
    })();
    let problem: string;
    try {
      const res = await this.opts.central.postGzip(DECISIONS_PATH, body, REQUEST_TIMEOUT_MS);
      if (res.status >= 200 && res.status < 300) {
        this.release(batch);
        this.opts.metrics.inc("bulwark_enforcer_decisions_reported_total", "Decisions accepted by central", {}, batch.length);
        if (this.failing) this.opts.log.info({ sent: batch.length, queued: this.queue.length }, "decision reports delivered again");
        this.failing = false;
        this.backoff.reset();
        this.retryAt = 0;
        return true;
      }
      problem = Central.describeText(res.status, res.text);
      if (res.status === 400 || res.status === 413 || res.status === 422) {
        // Central will never take this batch: sending it again would block every later one.
        this.release(batch);
        this.opts.metrics.inc("bulwark_enforcer_decisions_rejected_total", "Decisions central refused as invalid (dropped)", {}, batch.length);
        this.opts.log.error({ problem, decisions: batch.length }, "central refused a decision batch as invalid; dropping it");
        return true;
      }
    } catch (err) {
      problem = err instanceof CentralError ? err.message : String(err);
    }
    this.queue.unshiftAll(batch);
    this.trim();
    const delay = this.backoff.next();
    this.retryAt = Date.now() + delay;
    this.opts.metrics.inc("bulwark_enforcer_decision_report_errors_total", "Failed decision batch requests (retried)");
    if (!this.failing) this.opts.log.warn({ problem, queued: this.queue.length, retryInMs: delay }, "cannot report decisions to central; retrying with backoff");
    this.failing = true;
    return false;
  }

  private trim(): void {
    let dropped = 0;
    while (this.queue.length > this.opts.maxQueue) {
      this.pages.release(this.queue.shift()!);
      dropped++;
    }
    if (dropped > 0) this.opts.metrics.inc("bulwark_enforcer_decisions_dropped_total", "Decisions dropped (oldest first) because the queue was full while central was unreachable", {}, dropped);
  }
}
