import { parseAdvisorySourceList } from "@bulwark/core";
import { z } from "zod";

// The worker's whole configuration, validated once at start. Nothing else reads process.env.

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// An exported-but-empty variable (FOO=) means "use the default", as it does in most shells' .env habits.
const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Five fields (minute precision) or six (with seconds), as BullMQ's cron parser accepts. */
function looksLikeCron(pattern: string): boolean {
  const fields = pattern.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((f) => /^[\d*/,\-?LW#A-Za-z]+$/.test(f));
}

export const workerEnvSchema = z.object({
  DATABASE_URL: z.preprocess(blankAsUnset, z.string({ error: "is required" }).regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")),
  REDIS_URL: z.preprocess(blankAsUnset, z.string({ error: "is required" }).regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")),
  LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info")),
  BULWARK_WORKER_CONCURRENCY: z.preprocess(
    blankAsUnset,
    z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(4),
  ),
  BULWARK_SNAPSHOT_CRON: z.preprocess(
    blankAsUnset,
    z.string().trim().refine(looksLikeCron, "must be a cron pattern with 5 or 6 fields, e.g. \"15 0 * * *\"").default("15 0 * * *"),
  ),
  // OSV feeds: `name=location` entries (a directory, a .zip or an http(s) URL of an ecosystem zip).
  BULWARK_ADVISORY_SOURCES: z.preprocess(
    blankAsUnset,
    z
      .string()
      .default("")
      .transform((v, ctx) => {
        try {
          return parseAdvisorySourceList(v);
        } catch (err) {
          ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : "is not a list of name=location entries" });
          return z.NEVER;
        }
      }),
  ),
  BULWARK_ADVISORY_SYNC_CRON: z.preprocess(
    blankAsUnset,
    z.string().trim().refine(looksLikeCron, "must be a cron pattern with 5 or 6 fields, e.g. \"17 * * * *\"").default("17 * * * *"),
  ),
  // Notification channels: their secrets are encrypted by the web app under BULWARK_KEY_SECRET (else
  // NEXTAUTH_SECRET), so the worker needs the same value to send; NEXTAUTH_URL makes alert links.
  NEXTAUTH_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: "must be the public http(s) URL of the dashboard" }).optional()),
  NEXTAUTH_SECRET: z.preprocess(blankAsUnset, z.string().optional()),
  BULWARK_KEY_SECRET: z.preprocess(blankAsUnset, z.string().optional()),
  // Attempts per alert delivery (the first included) and the first retry's delay; each retry doubles it.
  BULWARK_NOTIFY_ATTEMPTS: z.preprocess(
    blankAsUnset,
    z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20").default(6),
  ),
  BULWARK_NOTIFY_BACKOFF_MS: z.preprocess(
    blankAsUnset,
    z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(10, "must be at least 10").max(3_600_000, "must be at most 3600000").default(5_000),
  ),
  // Raw Falco events older than this many days are deleted daily (runtime findings keep their counts).
  BULWARK_RUNTIME_EVENT_RETENTION_DAYS: z.preprocess(
    blankAsUnset,
    z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(3_650, "must be at most 3650").default(30),
  ),
});

export type WorkerEnv = z.output<typeof workerEnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid environment: ${problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
    this.name = "EnvError";
  }
}

export function parseWorkerEnv(source: Record<string, string | undefined>): WorkerEnv {
  const parsed = workerEnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new EnvError(parsed.error.issues.map((i) => ({ variable: i.path.map(String).join(".") || "(env)", message: i.message })));
}

/** For main.ts: on a bad environment, say which variables are wrong and exit 1 before anything starts. */
export function loadWorkerEnvOrExit(): WorkerEnv {
  try {
    return parseWorkerEnv(process.env);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    // Plain stderr rather than the JSON logger: LOG_LEVEL itself may be what is wrong.
    process.stderr.write(`bulwark worker: invalid environment\n${err.problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}\n`);
    process.exit(1);
  }
}
