import { QUEUE_NAME } from "@bulwark/core";
import { Queue } from "bullmq";
import { env } from "../env.ts";

// The web app only produces jobs. Its connection refuses to queue commands while Redis is down
// (enableOfflineQueue false), so an unreachable Redis fails the enqueue at once instead of holding
// the request open. The report is committed before it is queued, and the worker's sweeper queues
// whatever was missed, so "no queue right now" is a safe answer.

const READY_WAIT_MS = 1_000;

const g = globalThis as typeof globalThis & { __bulwarkQueue?: { queue: Queue; ready: Promise<boolean>; isReady: boolean } };

function holder() {
  if (!g.__bulwarkQueue) {
    const queue = new Queue(QUEUE_NAME, {
      connection: { url: env().REDIS_URL, connectionName: "bulwark-web-queue", maxRetriesPerRequest: null, enableOfflineQueue: false, connectTimeout: 2_000 },
    });
    // Connection errors surface on the enqueue that hits them; without a listener they would be unhandled.
    queue.on("error", () => undefined);
    const h = { queue, isReady: false, ready: Promise.resolve(false) };
    h.ready = queue.waitUntilReady().then(
      () => (h.isReady = true),
      () => false,
    );
    g.__bulwarkQueue = h;
  }
  return g.__bulwarkQueue;
}

/** The job queue once its first connection is up; null while Redis is unreachable (the sweeper catches up). */
export async function queue(): Promise<Queue | null> {
  const h = holder();
  if (h.isReady) return h.queue;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = await Promise.race([h.ready, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_WAIT_MS)))]);
  clearTimeout(timer);
  return ready ? h.queue : null;
}
