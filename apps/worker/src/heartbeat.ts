import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { clearHeartbeat, recordHeartbeat, type Logger, type Redis } from "@bulwark/core";

/** hostname-pid-random: unique even when two replicas share a hostname and pid (containers). */
export function workerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

export interface HeartbeatOptions {
  id: string;
  version: string;
  intervalMs: number;
}

export function startHeartbeat(redis: Redis, logger: Logger, opts: HeartbeatOptions) {
  const startedAt = new Date().toISOString();
  // "processed" counts every finished attempt, "failed" the ones that threw, so processed >= failed.
  let jobsProcessed = 0;
  let jobsFailed = 0;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  // While Redis is down a write waits for the reconnect; overlapping beats would only pile up behind it.
  const beat = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    inFlight ??= recordHeartbeat(redis, {
      id: opts.id,
      hostname: hostname(),
      pid: process.pid,
      version: opts.version,
      startedAt,
      lastBeatAt: new Date().toISOString(),
      jobsProcessed,
      jobsFailed,
    })
      .catch((err: unknown) => logger.warn({ err }, "heartbeat not recorded"))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const timer = setInterval(() => void beat(), opts.intervalMs);

  return {
    beat,
    count(outcome: "processed" | "failed") {
      jobsProcessed++;
      if (outcome === "failed") jobsFailed++;
    },
    /** With Redis reachable the key is removed at once; otherwise its TTL expires it. */
    async stop(clear: boolean) {
      stopped = true;
      clearInterval(timer);
      if (!clear) return;
      // A beat still in flight would re-create the key after it is deleted.
      await inFlight;
      await clearHeartbeat(redis, opts.id).catch((err: unknown) => logger.warn({ err }, "heartbeat not cleared"));
    },
  };
}
