import pino, { type Logger } from "pino";

export type { Logger };

// Structured JSON logs on stdout; the bearer token never appears (redacted by path where it could).
export function createLogger(level = "info"): Logger {
  return pino({
    name: "bulwark-enforcer",
    level,
    base: { service: "bulwark-enforcer" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["token", "*.token", "headers.authorization", "*.headers.authorization"], censor: "[redacted]" },
  });
}
