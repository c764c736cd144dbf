import { type Db } from "@bulwark/db";
import { type Redis } from "../redis.ts";

export interface HealthReport {
  status: "ok" | "degraded";
  checks: { database: CheckResult; redis: CheckResult };
}

export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // Only a coarse reason leaves the process: connection strings and hostnames stay in the logs.
    const msg = err instanceof Error && /timed out/.test(err.message) ? err.message : "unreachable";
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: msg };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(db: Db, redis: Redis, timeoutMs = 2_000): Promise<HealthReport> {
  const [database, redisCheck] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`, timeoutMs),
    timed(() => redis.ping(), timeoutMs),
  ]);
  return { status: database.ok && redisCheck.ok ? "ok" : "degraded", checks: { database, redis: redisCheck } };
}
