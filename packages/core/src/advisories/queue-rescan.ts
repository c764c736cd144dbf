import { Queue } from "bullmq";
import { QUEUE_NAME } from "../jobs/registry.ts";
import { enqueueDeltaRescan } from "../vuln/jobs.ts";

// For one-shot processes (the CLI) that store advisories and then hand the re-match to the workers: a
// short-lived queue connection that fails fast when Redis is down instead of hanging the command.

const READY_TIMEOUT_MS = 10_000;

/** Queues the delta re-match of `advisoryIds` on the workers' queue; answers the number of jobs. */
export async function queueAdvisoryRescan(redisUrl: string, advisoryIds: readonly string[], trigger: string, opts: { prefix?: string } = {}): Promise<number> {
  if (advisoryIds.length === 0) return 0;
  const queue = new Queue(QUEUE_NAME, {
    // A few quick retries, then give up: the advisories are stored either way.
    connection: { url: redisUrl, connectionName: "bulwark-cli", maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000, retryStrategy: (n: number) => (n > 3 ? null : 200 * n) },
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
  });
  // Connection errors surface through waitUntilReady/add; unlistened they would be unhandled.
  queue.on("error", () => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // The client keeps reconnecting to an unreachable Redis; the command must not wait for it forever.
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("Redis did not answer within 10 s")), READY_TIMEOUT_MS)));
    await Promise.race([queue.waitUntilReady(), timeout]);
    return await Promise.race([enqueueDeltaRescan(queue, advisoryIds, trigger), timeout]);
  } finally {
    clearTimeout(timer);
    await queue.close().catch(() => undefined);
  }
}
