// Issue 8's benchmark: Falco events posted at 10,000 events/s for 30 s to the real web server (a
// production build, `next start`), processed by the real worker in its own process, with a webhook
// channel on loopback receiving the alerts. Reports the accepted rate, the time from posting a new
// aggregate's first event to its alert arriving (p50/p95), the worker's memory, and beside it the
// same load against an empty HTTP handler in the same run (what the machine and the load generator
// manage with no work behind the port).
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { acceptReport, authenticateToken, createApiTokenForOrg, createNotificationChannel, createRedis, type OrgContext, processReport } from "@bulwark/core";
import { createDb, endSqlPool, plainSql } from "@bulwark/db";
import { ensureDatabase, migrate } from "../packages/db/src/migrate.ts";
import { inventoryList, offerLoad, percentile, poster, syntheticEstate } from "./runtime-load.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface Alert {
  rule: string;
  at: number;
  signatureOk: boolean;
}

/** The loopback webhook receiver: records each alert's arrival and checks its HMAC signature. */
async function startReceiver(secret: () => string): Promise<{ url: string; alerts: Alert[]; close(): Promise<void> }> {
  const alerts: Alert[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const ts = String(req.headers["x-bulwark-timestamp"] ?? "");
      const expected = `sha256=${createHmac("sha256", secret()).update(`${ts}.${body}`).digest("hex")}`;
      let rule = "";
      try {
        rule = String((JSON.parse(body) as { finding?: { rule?: string } }).finding?.rule ?? "");
      } catch {
        // counted with an empty rule
      }
      alerts.push({ rule, at: Date.now(), signatureOk: req.headers["x-bulwark-signature"] === expected });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, alerts, close: () => new Promise((r) => server.close(() => r())) };
}

/** The comparison: an HTTP handler that reads the body and answers 202, nothing else. */
async function startEmptyHandler(): Promise<{ url: URL; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(202, { "content-type": "application/json" }).end('{"status":"PENDING"}'));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: new URL(`http://127.0.0.1:${port}/api/v1/events/falco`), close: () => new Promise((r) => server.close(() => r())) };
}

function spawnReady(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: (line: string) => boolean, cwd = ROOT): Promise<ChildProcess> {
  const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => ready(d.toString()) && resolve(child));
    child.on("exit", (code) => reject(new Error(`${path.basename(cmd)} ${args.join(" ")} exited with ${code}`)));
  });
}

async function rssKb(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function runRuntimeBench(): Promise<void> {
  const rate = num("BENCH_RUNTIME_RATE", 10_000);
  const seconds = num("BENCH_RUNTIME_SECONDS", 30);
  const batch = num("BENCH_RUNTIME_BATCH", 100);
  const sockets = num("BENCH_RUNTIME_SOCKETS", 16);
  const port = num("BENCH_RUNTIME_PORT", 3107);
  const databaseUrl = process.env.BENCH_RUNTIME_DATABASE_URL ?? "postgresql://bulwark@127.0.0.1:54329/bulwark_bench_runtime";
  const redisUrl = process.env.BENCH_RUNTIME_REDIS_URL ?? "redis://127.0.0.1:63799/4";
  const psql = ["/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql"].find((p) => existsSync(p)) ?? "psql";
  if (!existsSync(path.join(ROOT, "apps/web/.next/BUILD_ID"))) throw new Error("build the web app first: npm run build -w @bulwark/web");

  // A fresh database and an empty Redis database per run.
  const admin = new URL(databaseUrl);
  const dbName = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  await new Promise<void>((resolve, reject) =>
    spawn(psql, [admin.toString(), "-q", "-c", `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`], { stdio: "inherit" }).on("exit", (c) => (c === 0 ? resolve() : reject(new Error("psql failed")))),
  );
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, path.join(ROOT, "prisma/migrations"));
  const redis = createRedis(redisUrl, { name: "bench-runtime" });
  await redis.flushdb();
  const db = createDb(databaseUrl, { max: 4 });
  const keySecret = "bench-runtime-secret-0123456789abcdef0123456789";

  const estate = syntheticEstate(num("BENCH_RUNTIME_WORKLOADS", 500), 20);
  await db.organization.create({ data: { slug: "bench-runtime", name: "Runtime benchmark" } });
  const token = await createApiTokenForOrg(db, "bench-runtime", { name: "falcosidekick", scopes: ["ingest"] }, "bench");
  const ctx: OrgContext = await authenticateToken(db, token.token, "ingest");
  const inventory = await acceptReport(db, null, ctx, { kind: "INVENTORY", subject: estate.cluster, body: inventoryList(estate) });
  await processReport(db, inventory.id);

  let secret = "";
  const receiver = await startReceiver(() => secret);
  const owner = await db.user.create({ data: { email: "bench-runtime@bench.local" } });
  await db.membership.create({ data: { orgId: token.orgId, userId: owner.id, role: "OWNER" } });
  const adminCtx: OrgContext = { orgId: token.orgId, actor: { type: "user", userId: owner.id, email: owner.email, role: "OWNER" } };
  const channel = await createNotificationChannel(db, adminCtx, { name: "loopback", type: "WEBHOOK", config: { url: receiver.url }, routing: { types: ["RUNTIME"] } }, keySecret);
  secret = channel.signingSecret ?? "";

  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: keySecret,
    BULWARK_KEY_SECRET: keySecret,
    BULWARK_EVENT_RATE_LIMIT_PER_MIN: "10000000",
    LOG_LEVEL: "warn",
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  try {
    // The comparison first, while nothing else runs.
    const empty = await startEmptyHandler();
    const base = await offerLoad(poster(empty.url, null, sockets), estate, { rate, seconds: Math.min(seconds, 10), batch });
    await empty.close();

    // The real worker (startWorker, as `npm start` runs it) in a process of its own, on the web app's queue.
    const workerEnv = { ...env, BENCH_DATABASE_URL: databaseUrl, BENCH_REDIS_URL: redisUrl, BENCH_PREFIX: "bull", BENCH_CONCURRENCY: String(num("BENCH_WORKER_CONCURRENCY", 4)) };
    const startWorkerProcess = () => spawnReady(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/worker-process.ts")], workerEnv, (l) => l.includes("ready"));
    // BENCH_RUNTIME_SPLIT=1: accept everything first, then start the worker, to see the web side alone.
    const split = process.env.BENCH_RUNTIME_SPLIT === "1";
    if (!split) worker = await startWorkerProcess();
    web = await spawnReady(path.join(ROOT, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], env, (l) => /Ready/i.test(l), path.join(ROOT, "apps/web"));
    const target = new URL(`http://127.0.0.1:${port}/api/v1/events/falco`);
    const post = poster(target, token.token, sockets);
    // Warm-up: compiles the route's code paths and opens the connection pools.
    const warm = await offerLoad(post, estate, { rate: 1_000, seconds: 2, batch });
    if (warm.accepted === 0) throw new Error(`the web server accepted nothing during warm-up: ${JSON.stringify(warm.refused)}`);

    let peak = { rss: 0, hwm: 0 };
    const sampler = setInterval(() => void (worker?.pid ? rssKb(worker.pid).then((m) => (peak = { rss: Math.max(peak.rss, m.rss), hwm: Math.max(peak.hwm, m.hwm) })) : null), 250);
    const load = await offerLoad(post, estate, { rate, seconds, batch, canaryPrefix: "Bench canary" });
    const postedAt = Date.now();
    worker ??= await startWorkerProcess();

    // Drained: every report processed; alerted: every canary's alert arrived.
    let drainedAt = 0;
    for (let deadline = Date.now() + 600_000; Date.now() < deadline; ) {
      const [row] = await plainSql(db).$queryRaw<Array<{ waiting: bigint }>>`SELECT count(*) AS waiting FROM "Report" WHERE "orgId" = ${token.orgId} AND status IN ('PENDING', 'PROCESSING')`;
      const alerted = [...load.canaries.keys()].every((rule) => receiver.alerts.some((a) => a.rule.startsWith(rule)));
      if (!drainedAt && Number(row?.waiting ?? 1) === 0) {
        drainedAt = Date.now();
        // Once everything is stored, alerts still missing after two more minutes are not coming.
        deadline = Math.min(deadline, drainedAt + 120_000);
      }
      if (drainedAt && alerted) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    clearInterval(sampler);
    const end = await rssKb(worker!.pid!);
    const delays = [...load.canaries].flatMap(([rule, sent]) => receiver.alerts.filter((a) => a.rule === rule).map((a) => a.at - sent));
    const [stored] = await plainSql(db).$queryRaw<Array<{ events: bigint; findings: bigint }>>`
      SELECT (SELECT count(*) FROM "RuntimeEvent" WHERE "orgId" = ${token.orgId}) AS events,
             (SELECT count(*) FROM "Finding" WHERE "orgId" = ${token.orgId} AND type = 'RUNTIME') AS findings`;
    const canaryAlerts = receiver.alerts.filter((a) => a.rule.startsWith("Bench canary"));
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    console.log(`data: ${fmt(load.offered)} Falco events offered at ${fmt(rate)}/s for ${seconds} s in batches of ${batch} over ${sockets} keep-alive connections; ${estate.workloads.length} workloads, ${load.canaries.size} canary aggregates`);
    console.log(`accepted (202): ${fmt(load.accepted)} events = ${fmt(load.accepted / load.seconds)} events/s; refused: ${JSON.stringify(load.refused)}; request p50 ${percentile(load.latencies, 50).toFixed(1)} ms, p99 ${percentile(load.latencies, 99).toFixed(1)} ms`);
    console.log(`  beside it, an empty HTTP handler under the same load (${Math.min(seconds, 10)} s): ${fmt(base.accepted / base.seconds)} events/s, request p50 ${percentile(base.latencies, 50).toFixed(1)} ms, p99 ${percentile(base.latencies, 99).toFixed(1)} ms`);
    console.log(`processed: all reports done ${((drainedAt - postedAt) / 1000).toFixed(1)} s after the last post (${fmt(Number(stored?.events ?? 0))} raw events stored, ${fmt(Number(stored?.findings ?? 0))} runtime aggregates)`);
    console.log(`alert delivery (canary posted → signed webhook received): p50 ${percentile(delays, 50).toFixed(0)} ms, p95 ${percentile(delays, 95).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms; ${canaryAlerts.length} alerts for ${load.canaries.size} canaries, signatures ${canaryAlerts.every((a) => a.signatureOk) ? "valid" : "INVALID"}`);
    const rateOk = load.accepted / load.seconds >= rate * 0.98;
    console.log(`target (${fmt(rate)} events/s accepted while the worker keeps up): ${rateOk && (drainedAt - postedAt) / 1000 < 10 ? "PASS" : "BELOW TARGET"}`);
    console.log(`worker memory: peak RSS ${fmt(peak.rss / 1024)} MiB (high-water ${fmt(Math.max(peak.hwm, end.hwm) / 1024)} MiB), at the end ${fmt(end.rss / 1024)} MiB`);
  } finally {
    await stop(web);
    await stop(worker);
    await receiver.close();
    await redis.quit();
    await endSqlPool(db);
    await db.$disconnect();
  }
}
