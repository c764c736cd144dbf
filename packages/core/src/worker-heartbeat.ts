import { type Redis } from "./redis.ts";

// Workers announce themselves in Redis with a short TTL; the UI lists the live ones. A worker that
// stops heartbeating disappears after HEARTBEAT_TTL_SECONDS.

export const HEARTBEAT_INTERVAL_MS = 10_000;
export const HEARTBEAT_TTL_SECONDS = 30;
const KEY_PREFIX = "bulwark:worker:";

export interface WorkerHeartbeat {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  startedAt: string;
  lastBeatAt: string;
  jobsProcessed: number;
  jobsFailed: number;
}

export async function recordHeartbeat(redis: Redis, beat: WorkerHeartbeat): Promise<void> {
  await redis.set(KEY_PREFIX + beat.id, JSON.stringify(beat), "EX", HEARTBEAT_TTL_SECONDS);
}

export async function clearHeartbeat(redis: Redis, id: string): Promise<void> {
  await redis.del(KEY_PREFIX + id);
}

export async function listHeartbeats(redis: Redis): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${KEY_PREFIX}*`, "COUNT", 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values
    .filter((v): v is string => v !== null)
    .map((v) => JSON.parse(v) as WorkerHeartbeat)
    .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.pid - b.pid);
}
