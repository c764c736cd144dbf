import pino, { type Logger } from "pino";

export type { Logger };

// Structured JSON logs on stdout. Secrets that may sit in request objects are redacted by path.
export function createLogger(name: string, level = "info"): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["password", "token", "*.password", "*.token", "req.headers.authorization", "req.headers.cookie", "headers.authorization", "headers.cookie"],
      censor: "[redacted]",
    },
  });
}
