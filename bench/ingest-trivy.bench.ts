import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { Queue } from "bullmq";
import { type Db, plainSql } from "@bulwark/db";
import { acceptReport, authenticateToken, createApiTokenForOrg, createRedis, type OrgContext, parseTrivyReport, QUEUE_NAME, reportBodySchema } from "@bulwark/core";

// Issue 3's benchmark: 30,000 vulnerabilities across 500 images, i.e. 500 Trivy reports (Trivy scans
// one image per report) of 60 vulnerabilities each, from the request body's text through what
// POST /reports/trivy does after auth (parse, depth bound, acceptReport: validate, store, enqueue),
// Redis and the real worker (a process of its own, as deployed) to every finding stored and queryable;
// beside a plain COPY of the same rows on the same machine in the same run.

export interface BenchOptions {
  images: number;
  vulnsPerImage: number;
  /** Reports posted at once, as several connectors (API requests) would. */
  concurrency: number;
  /** Jobs a worker runs at once (production default: BULWARK_WORKER_CONCURRENCY=4). */
  workerConcurrency: number;
  psql: string;
  databaseUrl: string;
  redisUrl: string;
}

const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
const hex = (s: string) => createHash("sha256").update(s).digest("hex");

export function syntheticReport(run: string, image: number, vulns: number) {
  const digest = `sha256:${hex(`${run}/${image}`)}`;
  const name = `registry.example.com/bench/app-${image}`;
  const vulnerabilities = Array.from({ length: vulns }, (_, v) => ({
    VulnerabilityID: `CVE-2024-${String(10_000 + ((image * 7 + v * 13) % 90_000)).padStart(5, "0")}-${v}`,
    PkgName: `pkg-${v % 40}`,
    PkgIdentifier: { PURL: `pkg:apk/alpine/pkg-${v % 40}@1.${v % 40}.0-r0?distro=3.19.1` },
    InstalledVersion: `1.${v % 40}.0-r0`,
    FixedVersion: v % 3 === 0 ? "" : `1.${v % 40}.1-r0`,
    Status: v % 3 === 0 ? "affected" : "fixed",
    Severity: SEVERITIES[v % 4],
    SeveritySource: "nvd",
    PrimaryURL: `https://avd.aquasec.com/nvd/cve-2024-${v}`,
    Title: `Synthetic vulnerability ${v} in pkg-${v % 40}`,
    Description: "A synthetic vulnerability used to benchmark ingestion. ".repeat(3),
    CVSS: { nvd: { V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", V3Score: 9.8 - (v % 4) * 2 } },
    References: [`https://example.com/advisories/${v}`],
    PublishedDate: "2024-01-01T00:00:00Z",
    LastModifiedDate: "2024-02-01T00:00:00Z",
  }));
  return {
    SchemaVersion: 2,
    ArtifactName: `${name}:1.0`,
    ArtifactType: "container_image",
    Metadata: { OS: { Family: "alpine", Name: "3.19.1" }, RepoTags: [`${name}:1.0`], RepoDigests: [`${name}@${digest}`] },
    Results: [{ Target: `${name}:1.0 (alpine 3.19.1)`, Class: "os-pkgs", Type: "alpine", Vulnerabilities: vulnerabilities }],
  };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export async function benchIngest(db: Db, opts: BenchOptions) {
  const run = Date.now().toString(36);
  const slug = `bench-${run}`;
  await db.organization.create({ data: { slug, name: "Benchmark" } });
  const token = await createApiTokenForOrg(db, slug, { name: "bench", scopes: ["ingest"] }, "bench");
  const ctx: OrgContext = await authenticateToken(db, token.token, "ingest");
  const reports = Array.from({ length: opts.images }, (_, i) => syntheticReport(run, i, opts.vulnsPerImage));
  const total = opts.images * opts.vulnsPerImage;
  // The request bodies as a connector sends them (serializing them is the connector's work, not ours).
  const wire = reports.map((r) => JSON.stringify(r));

  const prefix = `bench-${run}`;
  // The worker runs in its own process, as deployed: web and worker are separate Node processes, and
  // in one process they would share one JavaScript thread.
  // BENCH_SPLIT=1: accept everything first, then start the worker, to see each side's cost alone.
  const split = process.env.BENCH_SPLIT === "1";
  let worker = split ? null : await startWorkerProcess(opts, prefix);
  const redis = createRedis(opts.redisUrl, { name: "bench-api" });
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  let ingestSeconds: number;
  try {
    const started = performance.now();
    const profiler = opts.images >= 100 && process.env.BENCH_PROF ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
    }
    const cpuBefore = { api: process.cpuUsage(), pg: postgresCpuSeconds(), worker: (await worker?.cpuSeconds()) ?? 0 };
    await pool(wire, opts.concurrency, async (text) => {
      // What the route does with the request once authenticated: parse, bound the depth, accept.
      const body = reportBodySchema.parse(JSON.parse(text));
      await acceptReport(db, queue, ctx, { kind: "TRIVY", body });
    });
    const acceptedSeconds = (performance.now() - started) / 1000;
    const pgAtAccepted = process.env.BENCH_DEBUG ? postgresCpuSeconds() - cpuBefore.pg : 0;
    worker ??= await startWorkerProcess(opts, prefix);
    // Done when every report is processed: polled cheaply (node-postgres, not Prisma's client, so the
    // harness's own polling takes as little CPU from the run as it can).
    for (;;) {
      const rows = await plainSql(db).$queryRaw<Array<{ processed: bigint; other: bigint }>>`
        SELECT count(*) FILTER (WHERE status = 'PROCESSED') AS processed, count(*) FILTER (WHERE status = 'FAILED') AS other
        FROM "Report" WHERE "orgId" = ${token.orgId}`;
      if (Number(rows[0]?.other) > 0) throw new Error("a benchmark report failed");
      if (Number(rows[0]?.processed) === opts.images) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    ingestSeconds = (performance.now() - started) / 1000;
    if (profiler && process.env.BENCH_PROF) {
      const { profile } = await profiler.post("Profiler.stop");
      await writeFile(path.join(process.env.BENCH_PROF, `api-${process.pid}.cpuprofile`), JSON.stringify(profile));
    }
    if (process.env.BENCH_DEBUG) {
      const api = process.cpuUsage(cpuBefore.api);
      const pg = postgresCpuSeconds() - cpuBefore.pg;
      const workerCpu = (await worker.cpuSeconds()) - cpuBefore.worker;
      console.log(`all accepted after ${acceptedSeconds.toFixed(2)} s, all processed after ${ingestSeconds.toFixed(2)} s; CPU s: api ${((api.user + api.system) / 1e6).toFixed(2)}, worker ${workerCpu.toFixed(2)}, postgres ${pg.toFixed(2)} (${pgAtAccepted.toFixed(2)} by the last accept)`);
    }
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await redis.quit();
    await worker?.stop();
  }
  const stored = await db.finding.count({ where: { orgId: token.orgId } });
  if (stored !== total) throw new Error(`expected ${total} findings, found ${stored}`);

  // The same rows, normalized (outside the timing), through COPY into a scratch table of Finding's shape.
  const csv = reports
    .flatMap((body) => parseTrivyReport(body).findings)
    .map((f) => [f.fingerprint, f.type, f.severity, f.title, f.description, f.ruleId, f.source, f.packageName, f.packageVersion, f.fixedVersion, f.fixable, f.cvssScore, JSON.stringify(f.evidence)].map(csvField).join(","))
    .join("\n");
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_copy`);
  await db.$executeRawUnsafe(
    `CREATE TABLE bench_copy (id bigserial PRIMARY KEY, fingerprint text, type text, severity text, title text, description text, "ruleId" text,
      source text, "packageName" text, "packageVersion" text, "fixedVersion" text, fixable boolean, "cvssScore" float8, evidence jsonb)`,
  );
  // Best of three: the baseline is COPY at its fastest on this machine, so the ratio errs low.
  let copySeconds = Infinity;
  for (let i = 0; i < 3; i++) {
    await db.$executeRawUnsafe(`TRUNCATE bench_copy`);
    copySeconds = Math.min(copySeconds, await psqlCopy(opts, csv));
  }
  const copied = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM bench_copy`);
  if (Number(copied[0]?.n) !== total) throw new Error("COPY stored a different row count");

  // For the record of what dominates: the same rows moved into "Finding" itself (all its indexes) in one
  // statement, for a scratch organization: the floor for storing them, without any per-report work.
  const floorOrg = await db.organization.create({ data: { slug: `${slug}-floor`, name: "Benchmark floor" } });
  const floorStarted = performance.now();
  await db.$executeRawUnsafe(
    `INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, title, description, "ruleId", source, "packageName", "packageVersion",
       "fixedVersion", fixable, "cvssScore", evidence, "updatedAt")
     SELECT 'bench' || id, $1, fingerprint, type::"FindingType", severity::"Severity", title, description, "ruleId", source, "packageName",
       "packageVersion", "fixedVersion", fixable, "cvssScore", evidence, now() FROM bench_copy`,
    floorOrg.id,
  );
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  await db.$executeRawUnsafe(`DROP TABLE bench_copy`);

  const ingestRate = total / ingestSeconds;
  const copyRate = total / copySeconds;
  return { findings: total, images: opts.images, ingestSeconds, ingestRate, copySeconds, copyRate, floorSeconds, ratio: ingestRate / copyRate };
}

/** CPU seconds used so far by every postgres process of this host (debug output only). */
function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes(process.env.BENCH_CPU_PROC ?? "(postgres)")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended
    }
  }
  return ticks / 100;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** COPY FROM STDIN through the psql binary; the time includes starting psql (a few ms). */
function psqlCopy(opts: BenchOptions, csv: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cmd = `\\copy bench_copy (fingerprint, type, severity, title, description, "ruleId", source, "packageName", "packageVersion", "fixedVersion", fixable, "cvssScore", evidence) FROM STDIN WITH (FORMAT csv)`;
    const child = spawn(opts.psql, [opts.databaseUrl, "-v", "ON_ERROR_STOP=1", "-q", "-c", cmd], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`psql exited ${code}: ${err}`))));
    child.stdin.end(csv);
  });
}

/** bench/worker-process.ts in a child process; resolves once its worker is ready. */
async function startWorkerProcess(opts: BenchOptions, prefix: string): Promise<{ stop(): Promise<void>; cpuSeconds(): Promise<number> }> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./worker-process.ts", import.meta.url).pathname], {
    env: { ...process.env, BENCH_DATABASE_URL: opts.databaseUrl, BENCH_REDIS_URL: opts.redisUrl, BENCH_PREFIX: prefix, BENCH_CONCURRENCY: String(opts.workerConcurrency) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`benchmark worker exited with ${code}`)));
  });
  return {
    cpuSeconds: async () => {
      const stat = await readFile(`/proc/${child.pid}/stat`, "utf8").catch(() => "");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
