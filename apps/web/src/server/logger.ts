import { createLogger, type Logger } from "@bulwark/core";
import { env } from "../env.ts";

const g = globalThis as typeof globalThis & { __bulwarkLogger?: Logger };

export function logger(): Logger {
  g.__bulwarkLogger ??= createLogger("web", env().LOG_LEVEL);
  return g.__bulwarkLogger;
}
