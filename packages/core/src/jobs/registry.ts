import { type Job, type JobsOptions, type Queue, UnrecoverableError } from "bullmq";
import { type z } from "zod";
import { type Db } from "@bulwark/db";
import { type Logger } from "../logger.ts";
import { type Redis } from "../redis.ts";
import { AppError } from "../errors.ts";
import { type NotificationSettings } from "../notifications/settings.ts";

// Every background job is declared once: its name, the zod schema of its payload and an idempotent
// handler. Payloads are validated when enqueued and again when processed (a payload may have been
// written by an older or newer version of the code).

export const QUEUE_NAME = "bulwark";

export interface JobDeps {
  db: Db;
  redis: Redis;
  logger: Logger;
  /** The queue, for handlers that fan out follow-up jobs. */
  queue: Queue;
  /** The worker's notification settings (key secret, dashboard URL, retry policy); defaults where unset. */
  notifications?: Partial<NotificationSettings>;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType, R = unknown> {
  name: string;
  schema: S;
  /** Must be safe to run twice with the same payload. */
  handle: (payload: z.output<S>, deps: JobDeps, job: Job) => Promise<R>;
  defaults?: JobsOptions;
}

export function defineJob<S extends z.ZodType, R>(def: JobDefinition<S, R>): JobDefinition<S, R> {
  return def;
}

export type JobRegistry = ReadonlyMap<string, JobDefinition>;

export function createRegistry(defs: JobDefinition[]): JobRegistry {
  const map = new Map<string, JobDefinition>();
  for (const d of defs) {
    if (map.has(d.name)) throw new Error(`duplicate job name ${d.name}`);
    map.set(d.name, d);
  }
  return map;
}

export async function enqueue<S extends z.ZodType>(
  queue: Queue,
  def: JobDefinition<S>,
  payload: z.input<S>,
  opts: JobsOptions = {},
): Promise<Job> {
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) throw AppError.fromZod(parsed.error, `Invalid payload for job ${def.name}`);
  return queue.add(def.name, parsed.data, { ...DEFAULT_JOB_OPTIONS, ...def.defaults, ...opts });
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The processor a BullMQ Worker runs: looks the job up, re-validates, then handles it. */
export function createProcessor(registry: JobRegistry, deps: JobDeps) {
  return async (job: Job): Promise<unknown> => {
    const def = registry.get(job.name);
    if (!def) throw new Error(`unknown job ${job.name}`);
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) {
      // A malformed payload never becomes valid on retry; fail it for good.
      const where = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
      throw new UnrecoverableError(`invalid payload for ${job.name}: ${where}`);
    }
    const log = deps.logger.child({ job: job.name, jobId: job.id });
    const started = Date.now();
    const result = await def.handle(parsed.data, { ...deps, logger: log }, job);
    log.info({ ms: Date.now() - started }, "job done");
    return result;
  };
}
