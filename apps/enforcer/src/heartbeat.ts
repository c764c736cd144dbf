import { Central, CentralError } from "./central.ts";
import { type Logger } from "./logger.ts";
import { type Metrics } from "./metrics.ts";

// "Alive, enforcing bundle N" every interval (POST /api/v1/enforcement/heartbeat), so the dashboard
// shows each enforcement point's health and drift (its bundle version against the current one), and
// which namespaces its webhook configuration leaves out (those are judged by no one at admission).

export const HEARTBEAT_PATH = "/api/v1/enforcement/heartbeat";
const TIMEOUT_MS = 10_000;

export interface HeartbeatOptions {
  central: Central;
  name: string;
  cluster: string;
  agentVersion: string;
  excludedNamespaces: string[];
  intervalMs: number;
  bundleVersion: () => number | null;
  log: Logger;
  metrics: Metrics;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(private readonly opts: HeartbeatOptions) {}

  body(): Record<string, unknown> {
    return {
      name: this.opts.name,
      agentVersion: this.opts.agentVersion,
      bundleVersion: this.opts.bundleVersion(),
      cluster: this.opts.cluster,
      excludedNamespaces: this.opts.excludedNamespaces,
    };
  }

  async beat(): Promise<boolean> {
    let problem: string;
    try {
      const res = await this.opts.central.request(HEARTBEAT_PATH, { method: "POST", body: JSON.stringify(this.body()), timeoutMs: TIMEOUT_MS });
      if (res.ok) {
        await res.body?.cancel();
        if (this.failing) this.opts.log.info("heartbeats delivered again");
        this.failing = false;
        return true;
      }
      problem = await Central.describe(res);
    } catch (err) {
      problem = err instanceof CentralError ? err.message : String(err);
    }
    this.opts.metrics.inc("bulwark_enforcer_heartbeat_errors_total", "Failed heartbeats");
    if (!this.failing) this.opts.log.warn({ problem }, "heartbeat to central failed");
    this.failing = true;
    return false;
  }

  /** Beats now and every interval; resolves with the first beat's outcome. */
  start(): Promise<boolean> {
    if (this.timer) return Promise.resolve(true);
    const first = this.beat();
    this.timer = setInterval(() => void this.beat(), this.opts.intervalMs);
    this.timer.unref();
    return first;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
