import { type Redis } from "ioredis";
import { AppError } from "./errors.ts";

// Fixed-window counter in Redis: shared by every web replica, so limits hold behind a load balancer.

export interface RateLimit {
  /** Key namespace, e.g. "login". */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

export async function hitRateLimit(redis: Redis, rl: RateLimit, subject: string): Promise<RateLimitResult> {
  const window = Math.floor(Date.now() / 1000 / rl.windowSeconds);
  const key = `bulwark:rl:${rl.name}:${subject}:${window}`;
  const [[, count], [, ttl]] = (await redis.multi().incr(key).expire(key, rl.windowSeconds, "NX").ttl(key).exec()) as [
    [null, number],
    [null, number],
    [null, number],
  ];
  const retry = ttl > 0 ? ttl : rl.windowSeconds;
  return { allowed: count <= rl.limit, remaining: Math.max(0, rl.limit - count), retryAfterSeconds: retry };
}

export async function enforceRateLimit(redis: Redis, rl: RateLimit, subject: string): Promise<void> {
  const r = await hitRateLimit(redis, rl, subject);
  if (!r.allowed) {
    throw new AppError("RATE_LIMITED", "Too many attempts; try again later", { retryAfterSeconds: r.retryAfterSeconds });
  }
}

export async function resetRateLimit(redis: Redis, rl: RateLimit, subject: string): Promise<void> {
  const window = Math.floor(Date.now() / 1000 / rl.windowSeconds);
  await redis.del(`bulwark:rl:${rl.name}:${subject}:${window}`);
}
