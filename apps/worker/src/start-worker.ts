import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { createDb, endSqlPool } from "@bulwark/db";
import {
  createProcessor,
  createRedis,
  DEFAULT_JOB_OPTIONS,
  enqueue,
  HEARTBEAT_INTERVAL_MS,
  jobRegistry,
  postureSnapshotAllJob,
  QUEUE_NAME,
  advisoriesSyncJob,
  exceptionsExpireJob,
  runtimeRetentionJob,
  fullRescanDueJob,
  postureEvaluateDueJob,
  sweepReportsJob,
  type JobRegistry,
  type Logger,
  type NotificationSettings,
} from "@bulwark/core";
import { startHeartbeat, workerId } from "./heartbeat.ts";

export const SNAPSHOT_SCHEDULER_ID = "posture.snapshot-all";
export const SWEEP_SCHEDULER_ID = "reports.sweep";
export const RESCAN_DUE_SCHEDULER_ID = "vuln.full-due";
export const EXCEPTIONS_EXPIRE_SCHEDULER_ID = "exceptions.expire";
export const ADVISORY_SYNC_SCHEDULER_ID = "advisories.sync";
export const POSTURE_DUE_SCHEDULER_ID = "posture.evaluate-due";
export const RUNTIME_RETENTION_SCHEDULER_ID = "runtime.retention";
/** Daily, at a quiet hour (UTC), apart from the other nightly jobs. */
export const RUNTIME_RETENTION_CRON = "40 2 * * *";
export const DEFAULT_SWEEP_EVERY_MS = 30_000;
export const DEFAULT_PREFIX = "bull";

export interface WorkerConfig {
  databaseUrl: string;
  redisUrl: string;
  concurrency: number;
  /** Cron pattern (UTC) of the daily posture snapshot fan-out. */
  snapshotCron: string;
  logger: Logger;
  /** BullMQ key prefix. Tests use their own so they never see each other's jobs. */
  prefix?: string;
  heartbeatIntervalMs?: number;
  /** Queue one fan-out at start, so a fresh install has today's snapshot before the first cron run. */
  snapshotOnStart?: boolean;
  registry?: JobRegistry;
  version?: string;
  /** How often stale reports are re-queued (one schedule shared by all workers on the same Redis); 0 disables it. */
  sweepEveryMs?: number;
  /** Age after which a PENDING report counts as stale; tests use 0. */
  sweepOlderThanSeconds?: number;
  /** OSV feeds to sync on `advisorySyncCron` (none: the sync is not scheduled). */
  advisorySources?: Array<{ name: string; location: string }>;
  advisorySyncCron?: string;
  /** How often the rescan-cron check and exception expiry run (default a minute); 0 disables both, and the daily runtime event retention. */
  maintenanceEveryMs?: number;
  /** Days raw runtime (Falco) events are kept; deleted daily by runtime.retention (default 30). */
  runtimeEventRetentionDays?: number;
  /** Key secret, dashboard URL and retry policy for notification deliveries (defaults where unset). */
  notifications?: Partial<NotificationSettings>;
}

export interface WorkerHandle {
  /** Heartbeat id: hostname-pid-random. */
  id: string;
  queue: Queue;
  worker: Worker;
  /**
   * Settles once the schedule is in place, the start-up job is queued and the first heartbeat is written.
   * While Redis is unreachable it simply waits (ioredis keeps reconnecting); it rejects only on a real
   * error such as an invalid cron pattern.
   */
  ready: Promise<void>;
  /** Waits for active jobs to finish, then releases Redis and Postgres. Safe to call more than once. */
  close(): Promise<void>;
}

export function startWorker(config: WorkerConfig): WorkerHandle {
  const { logger } = config;
  const prefix = config.prefix ?? DEFAULT_PREFIX;
  const db = createDb(config.databaseUrl, { max: Math.max(4, config.concurrency + 2) });
  // One connection for commands (queue, heartbeats, handlers); BullMQ duplicates it for its blocking reads.
  const redis = createRedis(config.redisUrl, { forWorker: true, name: "bulwark-worker" });
  const warnRedis = throttledWarning(logger, "redis unavailable; retrying");
  const onError = (err: Error) => (isConnectionError(err) ? warnRedis(err) : logger.error({ err }, "queue error"));
  redis.on("error", warnRedis);
  let connectedBefore = false;
  redis.on("ready", () => {
    warnRedis.reset();
    logger.info("redis connected");
    // A Redis that restarted without persistence has lost the schedule; putting it back is idempotent.
    if (connectedBefore && !closing) ensureSchedule().catch((err: unknown) => logger.error({ err }, "could not restore the job schedule"));
    connectedBefore = true;
  });

  let closing = false;
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  queue.on("error", onError);
  const sweepPayload = sweepReportsJob.schema.parse(config.sweepOlderThanSeconds === undefined ? {} : { olderThanSeconds: config.sweepOlderThanSeconds });
  const ensureSchedule = async () => {
    await queue.upsertJobScheduler(
      SNAPSHOT_SCHEDULER_ID,
      { pattern: config.snapshotCron, tz: "UTC" },
      { name: postureSnapshotAllJob.name, data: postureSnapshotAllJob.schema.parse({}), opts: { ...DEFAULT_JOB_OPTIONS, ...postureSnapshotAllJob.defaults } },
    );
    // Organizations' full re-match crons are checked every minute (see fullRescanDueJob), expired
    // exceptions reopen their findings within a minute, and policy, exception or trusted-registry changes
    // re-evaluate the inventory within a minute (postureEvaluateDueJob).
    const maintenanceMs = config.maintenanceEveryMs ?? 60_000;
    const maintenance = [[RESCAN_DUE_SCHEDULER_ID, fullRescanDueJob], [EXCEPTIONS_EXPIRE_SCHEDULER_ID, exceptionsExpireJob], [POSTURE_DUE_SCHEDULER_ID, postureEvaluateDueJob]] as const;
    for (const [id, def] of maintenance) {
      if (maintenanceMs <= 0) await queue.removeJobScheduler(id);
      else await queue.upsertJobScheduler(id, { every: maintenanceMs }, { name: def.name, data: {}, opts: { ...DEFAULT_JOB_OPTIONS, ...def.defaults } });
    }
    // Old raw runtime events go daily; housekeeping like the above, so switched off with it (tests).
    if (maintenanceMs <= 0) await queue.removeJobScheduler(RUNTIME_RETENTION_SCHEDULER_ID);
    else {
      await queue.upsertJobScheduler(
        RUNTIME_RETENTION_SCHEDULER_ID,
        { pattern: RUNTIME_RETENTION_CRON, tz: "UTC" },
        {
          name: runtimeRetentionJob.name,
          data: runtimeRetentionJob.schema.parse(config.runtimeEventRetentionDays === undefined ? {} : { retentionDays: config.runtimeEventRetentionDays }),
          opts: { ...DEFAULT_JOB_OPTIONS, ...runtimeRetentionJob.defaults },
        },
      );
    }
    const sources = config.advisorySources ?? [];
    if (sources.length === 0) await queue.removeJobScheduler(ADVISORY_SYNC_SCHEDULER_ID);
    else {
      await queue.upsertJobScheduler(
        ADVISORY_SYNC_SCHEDULER_ID,
        { pattern: config.advisorySyncCron ?? "17 * * * *", tz: "UTC" },
        { name: advisoriesSyncJob.name, data: advisoriesSyncJob.schema.parse({ sources }), opts: { ...DEFAULT_JOB_OPTIONS, ...advisoriesSyncJob.defaults } },
      );
    }
    // Reports are durable in Postgres before they are queued; the sweep re-queues any whose job was lost.
    const sweepEveryMs = config.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS;
    if (sweepEveryMs <= 0) {
      await queue.removeJobScheduler(SWEEP_SCHEDULER_ID);
      return;
    }
    await queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: sweepEveryMs },
      { name: sweepReportsJob.name, data: sweepPayload, opts: { ...DEFAULT_JOB_OPTIONS, ...sweepReportsJob.defaults } },
    );
  };
  const worker = new Worker(QUEUE_NAME, createProcessor(config.registry ?? jobRegistry, { db, redis, logger, queue, notifications: config.notifications ?? {} }), {
    connection: redis,
    prefix,
    concurrency: config.concurrency,
  });
  worker.on("error", onError);

  const id = workerId();
  const heartbeat = startHeartbeat(redis, logger, {
    id,
    version: config.version ?? "0.0.0",
    intervalMs: config.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
  });
  worker.on("completed", () => heartbeat.count("processed"));
  worker.on("failed", (job, err) => {
    heartbeat.count("failed");
    logFailure(logger, job, err);
  });

  const ready = (async () => {
    await ensureSchedule();
    if (config.snapshotOnStart ?? true) await enqueue(queue, postureSnapshotAllJob, {});
    // A fresh start syncs the feeds at once rather than waiting up to an hour for the cron.
    if ((config.advisorySources ?? []).length > 0) {
      await enqueue(queue, advisoriesSyncJob, { sources: config.advisorySources ?? [] }, { jobId: `advisories-sync-start-${Math.floor(Date.now() / 60_000)}` });
    }
    await heartbeat.beat();
    logger.info({ id, prefix, concurrency: config.concurrency, snapshotCron: config.snapshotCron }, "worker started");
  })().catch((err: unknown) => {
    // Closing while Redis was still unreachable rejects the pending setup commands; that is no failure.
    if (!closing) throw err;
  });

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      logger.info({ id }, "worker stopping; waiting for active jobs");
      if (redis.status === "ready") {
        // Keep heartbeating while jobs drain, so the dashboard still lists this worker.
        await worker.close();
      } else {
        // Without Redis no active job can report its result, and a graceful close would wait for the
        // reconnect forever; unfinished jobs are picked up again as stalled by another worker.
        logger.warn({ redisStatus: redis.status }, "redis not connected; closing without waiting for active jobs");
        await worker.close(true);
      }
      await heartbeat.stop(redis.status === "ready");
      await queue.close();
      if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
      await db.$disconnect();
      await endSqlPool(db);
      logger.info({ id }, "worker stopped");
    })();
    return closed;
  };

  return { id, queue, worker, ready, close };
}

function logFailure(logger: Logger, job: Job | undefined, err: Error) {
  const attempts = job?.opts.attempts ?? 1;
  const final = err instanceof UnrecoverableError || err.name === "UnrecoverableError" || (job?.attemptsMade ?? attempts) >= attempts;
  const fields = { job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, attempts, err };
  if (final) logger.error(fields, "job failed");
  else logger.warn(fields, "job failed; will retry");
}

const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

function isConnectionError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined && CONNECTION_ERROR_CODES.has(code)) || /connection is closed|connect etimedout|socket closed/i.test(err.message);
}

/** ioredis reports every failed reconnect; one line when an outage starts, then one a minute, is enough. */
function throttledWarning(logger: Logger, msg: string, everyMs = 60_000) {
  let last = 0;
  let suppressed = 0;
  const warn = (err: Error) => {
    const now = Date.now();
    if (now - last < everyMs) {
      suppressed++;
      return;
    }
    logger.warn({ reason: err.message, code: (err as NodeJS.ErrnoException).code, suppressedSinceLast: suppressed }, msg);
    last = now;
    suppressed = 0;
  };
  warn.reset = () => {
    last = 0;
    suppressed = 0;
  };
  return warn;
}
