// The ingestion benchmark of issue 3, on a dedicated database (created and migrated here).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, endSqlPool } from "@bulwark/db";
import { ensureDatabase, migrate } from "../packages/db/src/migrate.ts";
import { benchIngest } from "./ingest-trivy.bench.ts";

export async function runIngestBench(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://bulwark@127.0.0.1:54329/bulwark_bench";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:63799/3";
  const psql = process.env.PSQL ?? ["/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql"].find((p) => existsSync(p)) ?? "psql";
  // Connectors posting at once (default: one per core), and the worker at its production default.
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? os.cpus().length);
  const workerConcurrency = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 4);

  // A fresh database per run, so results do not depend on what earlier runs left (only a *_bench one).
  const dbName = new URL(databaseUrl).pathname.slice(1);
  if (dbName.endsWith("_bench")) {
    const admin = new URL(databaseUrl);
    admin.pathname = "/postgres";
    execFileSync(psql, [admin.toString(), "-q", "-v", "ON_ERROR_STOP=1", "-c", `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`], { stdio: "inherit" });
  }
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, path.resolve(import.meta.dirname, "../prisma/migrations"));
  const db = createDb(databaseUrl, { max: concurrency + 2 });
  try {
    // A small warm-up run, so the numbers measure ingestion rather than JIT and connection start-up.
    await benchIngest(db, { images: 20, vulnsPerImage: 60, concurrency, workerConcurrency, psql, databaseUrl, redisUrl });
    const r = await benchIngest(db, { images: 500, vulnsPerImage: 60, concurrency, workerConcurrency, psql, databaseUrl, redisUrl });
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    console.log(`data: ${r.images} Trivy reports × ${r.findings / r.images} vulnerabilities = ${r.findings} findings; API concurrency ${concurrency}, worker concurrency ${workerConcurrency}`);
    console.log(`ingest (body text → parse → acceptReport → Redis → worker process): ${r.findings} findings in ${r.ingestSeconds.toFixed(2)} s = ${fmt(r.ingestRate)} findings/s`);
    console.log(`plain COPY (psql, best of 3) of the same ${r.findings} rows: ${r.copySeconds.toFixed(2)} s = ${fmt(r.copyRate)} rows/s`);
    console.log(`(for reference: one INSERT … SELECT of the same rows into "Finding", all indexes: ${r.floorSeconds.toFixed(2)} s)`);
    console.log(`ratio: ${r.ratio.toFixed(3)}× the COPY rate (target ≥ 0.15×) → ${r.ratio >= 0.15 ? "PASS" : "BELOW TARGET"}`);
  } finally {
    await endSqlPool(db);
    await db.$disconnect();
  }
}
