import { createLogger } from "@bulwark/core";
import pkg from "../package.json" with { type: "json" };
import { loadWorkerEnvOrExit } from "./env.ts";
import { startWorker } from "./start-worker.ts";

const env = loadWorkerEnvOrExit();
const logger = createLogger("worker", env.LOG_LEVEL);

// Anything that escapes a handler means the process state is unknown: log it and let the supervisor restart us.
process.on("unhandledRejection", (reason) => {
  logger.fatal({ err: reason }, "unhandled promise rejection");
  process.exit(1);
});
process.on("uncaughtException", (err) => {
  logger.fatal({ err }, "uncaught exception");
  process.exit(1);
});

// Channels could not be decrypted; every delivery would fail, so say so once at start.
if (!env.BULWARK_KEY_SECRET && !env.NEXTAUTH_SECRET) logger.warn("neither BULWARK_KEY_SECRET nor NEXTAUTH_SECRET is set: notification channels cannot be used");

const handle = startWorker({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  concurrency: env.BULWARK_WORKER_CONCURRENCY,
  snapshotCron: env.BULWARK_SNAPSHOT_CRON,
  advisorySources: env.BULWARK_ADVISORY_SOURCES,
  advisorySyncCron: env.BULWARK_ADVISORY_SYNC_CRON,
  runtimeEventRetentionDays: env.BULWARK_RUNTIME_EVENT_RETENTION_DAYS,
  notifications: {
    keySecret: env.BULWARK_KEY_SECRET ?? env.NEXTAUTH_SECRET ?? null,
    dashboardUrl: env.NEXTAUTH_URL ?? null,
    attempts: env.BULWARK_NOTIFY_ATTEMPTS,
    backoffMs: env.BULWARK_NOTIFY_BACKOFF_MS,
  },
  logger,
  version: pkg.version,
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) {
    // Second Ctrl-C: the operator does not want to wait for active jobs; they will be retried as stalled.
    logger.warn({ signal }, "second signal; exiting without waiting for active jobs");
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, "shutting down");
  try {
    await handle.close();
    process.exit(0);
  } catch (err) {
    logger.error({ err }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGINT", (s) => void shutdown(s));
process.on("SIGTERM", (s) => void shutdown(s));

handle.ready.catch(async (err: unknown) => {
  logger.fatal({ err }, "worker failed to start");
  await handle.close().catch(() => {});
  process.exit(1);
});
