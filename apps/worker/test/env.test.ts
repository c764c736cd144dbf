import { describe, expect, it } from "vitest";
import { EnvError, parseWorkerEnv } from "../src/env.ts";

const base = { DATABASE_URL: "postgresql://bulwark@127.0.0.1:54329/bulwark", REDIS_URL: "redis://127.0.0.1:63799/0" };

function problems(source: Record<string, string | undefined>) {
  try {
    parseWorkerEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return Object.fromEntries(err.problems.map((p) => [p.variable, p.message]));
    throw err;
  }
  throw new Error("expected the environment to be rejected");
}

describe("worker env", () => {
  it("applies defaults, treating empty values as unset", () => {
    expect(parseWorkerEnv({ ...base, LOG_LEVEL: "", BULWARK_WORKER_CONCURRENCY: " " })).toEqual({
      ...base,
      LOG_LEVEL: "info",
      BULWARK_WORKER_CONCURRENCY: 4,
      BULWARK_SNAPSHOT_CRON: "15 0 * * *",
      BULWARK_ADVISORY_SOURCES: [],
      BULWARK_ADVISORY_SYNC_CRON: "17 * * * *",
      BULWARK_NOTIFY_ATTEMPTS: 6,
      BULWARK_NOTIFY_BACKOFF_MS: 5_000,
      BULWARK_RUNTIME_EVENT_RETENTION_DAYS: 30,
    });
  });

  it("parses advisory feeds and refuses a malformed entry", () => {
    expect(parseWorkerEnv({ ...base, BULWARK_ADVISORY_SOURCES: "debian=https://osv.example/Debian/all.zip local=/srv/osv" }).BULWARK_ADVISORY_SOURCES).toEqual([
      { name: "debian", location: "https://osv.example/Debian/all.zip" },
      { name: "local", location: "/srv/osv" },
    ]);
    expect(Object.keys(problems({ ...base, BULWARK_ADVISORY_SOURCES: "no-equals-sign" }))).toEqual(["BULWARK_ADVISORY_SOURCES"]);
  });

  it("parses explicit values", () => {
    const env = parseWorkerEnv({ ...base, LOG_LEVEL: "debug", BULWARK_WORKER_CONCURRENCY: "8", BULWARK_SNAPSHOT_CRON: "0 */6 * * *" });
    expect(env).toMatchObject({ LOG_LEVEL: "debug", BULWARK_WORKER_CONCURRENCY: 8, BULWARK_SNAPSHOT_CRON: "0 */6 * * *" });
  });

  it("names every bad variable", () => {
    expect(problems({ REDIS_URL: "http://nope", LOG_LEVEL: "loud", BULWARK_WORKER_CONCURRENCY: "0", BULWARK_SNAPSHOT_CRON: "daily" })).toEqual({
      DATABASE_URL: "is required",
      REDIS_URL: "must be a redis:// or rediss:// URL",
      LOG_LEVEL: expect.stringContaining("must be one of"),
      BULWARK_WORKER_CONCURRENCY: "must be at least 1",
      BULWARK_SNAPSHOT_CRON: expect.stringContaining("cron pattern"),
    });
    expect(Object.keys(problems({ ...base, BULWARK_WORKER_CONCURRENCY: "2.5" }))).toEqual(["BULWARK_WORKER_CONCURRENCY"]);
  });
});
