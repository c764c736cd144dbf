// The benchmark's worker: the real startWorker in a process of its own, as `npm start` runs it.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import path from "node:path";
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
  // The posture snapshot a worker takes on start would run inside the measured window.
  snapshotOnStart: false,
  logger: createLogger("bench-worker", "warn"),
  // Channel secrets are encrypted under the web app's key secret; the runtime benchmark passes it.
  notifications: { keySecret: process.env.BULWARK_KEY_SECRET ?? null, dashboardUrl: process.env.NEXTAUTH_URL ?? null },
});
await worker.ready;
// BENCH_PROF=DIR: a CPU profile of the worker from "ready" to SIGTERM (start-up left out), for the docs.
const profileDir = process.env.BENCH_PROF;
const session = profileDir ? new Session() : null;
if (session) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void (async () => {
    if (session && profileDir) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(path.join(profileDir, `worker-${process.pid}.cpuprofile`), JSON.stringify(profile));
    }
    await worker.close();
    process.exit(0);
  })();
});
