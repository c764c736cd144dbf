import { createRedis, type Redis } from "@bulwark/core";
import { env } from "../env.ts";

const g = globalThis as typeof globalThis & { __bulwarkRedis?: Redis };

export function redis(): Redis {
  g.__bulwarkRedis ??= createRedis(env().REDIS_URL, { name: "bulwark-web" });
  return g.__bulwarkRedis;
}
