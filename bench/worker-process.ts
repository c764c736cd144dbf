// The benchmark's worker: the real startWorker in a process of its own, as `npm start` runs it.
import { createLogger } from "@bulwark/core";
import { startWorker } from "../apps/worker/src/start-worker.ts";

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const worker = startWorker({
  databaseUrl: env("BENCH_DATABASE_URL"),
  redisUrl: env("BENCH_REDIS_URL"),
  concurrency: Number(env("BENCH_CONCURRENCY")),
  prefix: env("BENCH_PREFIX"),
  snapshotCron: "0 3 * * *",
  sweepEveryMs: 0,
  logger: createLogger("bench-worker", "warn"),
});
await worker.ready;
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
