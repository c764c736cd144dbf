import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@bulwark/db";
import { createRedis } from "@bulwark/core";
import { runCli, runInProcess, testDatabaseUrl, uid } from "./run-cli.ts";

// `bulwark vuln compare` in-process (pure), `bulwark vuln import` as a user runs it (child process,
// real test database). Advisories are instance-wide, so imported fixture ids carry a per-run suffix.

vi.setConfig({ testTimeout: 90_000 });

let db: Db;
beforeAll(() => {
  db = createDb(testDatabaseUrl(), { max: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

describe("bulwark vuln compare", () => {
  const vectors: Array<[string, string, string, string]> = [
    ["Debian:12", "1:2.0-1", "2.5-1", "1"], // the epoch wins
    ["Debian:12", "1.0~rc1-1", "1.0-1", "-1"], // tilde sorts before anything
    ["Debian", "1.0", "1.0-0", "0"],
    ["Alpine:v3.20", "1.2.3_rc1-r0", "1.2.3-r0", "-1"],
    ["Alpine:v3.20", "1.2.3-r0", "1.2.3-r1", "-1"],
    ["npm", "1.10.0", "1.9.0", "1"],
    ["npm", "1.0.0-alpha", "1.0.0", "-1"],
    ["PyPI", "1.0.post1", "1.0", "1"],
    ["PyPI", "1.0", "1.0.0", "0"],
    ["Go", "v1.2.3", "v1.2.10", "-1"],
    ["Maven", "1.0-SNAPSHOT", "1.0", "-1"],
    ["RubyGems", "1.0.0.pre", "1.0.0", "-1"],
    ["NuGet", "1.0.0", "1.0.0.0", "0"],
    ["Red Hat:enterprise_linux:9", "1.0-1.el9", "1.0-1.el9_1", "-1"],
  ];
  it.each(vectors)("%s: %s vs %s → %s", async (ecosystem, a, b, expected) => {
    const r = await runInProcess(["vuln", "compare", "--ecosystem", ecosystem, a, b]);
    expect(r).toEqual({ code: 0, stdout: `${expected}\n`, stderr: "" });
  });

  it("exits 2 with a message for an unknown ecosystem, an unparsable version or a missing flag", async () => {
    const unknown = await runInProcess(["vuln", "compare", "--ecosystem", "Plan9", "1", "2"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toContain('No version scheme for ecosystem "Plan9"');
    const bad = await runInProcess(["vuln", "compare", "--ecosystem", "npm", "not a version", "1.0.0"]);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toContain('Not a valid npm version: "not a version"');
    const missing = await runInProcess(["vuln", "compare", "1", "2"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--ecosystem");
  });
});

const FIXTURES = new URL("../../../packages/core/test/fixtures/osv/", import.meta.url);

/** The OSV fixtures under a new directory, each id suffixed with `tag`, plus one invalid file. */
function fixtureDir(tag: string): { dir: string; ids: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-cli-osv-"));
  const ids: string[] = [];
  for (const file of ["osv-schema__npm_greater_than.osv.json", "CVE-2022-27449.json", "DSA-3029-1.json"]) {
    const record = JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as { id: string };
    record.id = `${record.id}-${tag}`;
    ids.push(record.id);
    mkdirSync(join(dir, "osv"), { recursive: true });
    writeFileSync(join(dir, "osv", file), JSON.stringify(record));
  }
  writeFileSync(join(dir, "broken.json"), JSON.stringify({ id: `GHSA-bad-${tag}` }));
  return { dir, ids };
}

describe("bulwark vuln import", () => {
  it("imports a directory, lists invalid records, exits 0; a re-import changes nothing", async () => {
    const tag = uid();
    const { dir, ids } = fixtureDir(tag);
    const res = await runCli(["vuln", "import", dir, "--source", `cli-${tag}`, "--no-rescan"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Imported 4 records from 4 files (source "cli-${tag}")`);
    expect(res.stdout).toContain("inserted 3, updated 0, withdrawn 0, unchanged 0, invalid 1");
    expect(res.stdout).toMatch(new RegExp(`error +broken\\.json \\(GHSA-bad-${tag}\\) modified: modified is required`));
    expect(res.stdout).toContain("Re-match not queued (--no-rescan)");
    const stored = await db.advisory.findMany({ where: { externalId: { in: ids } }, include: { packages: true } });
    expect(stored.map((a) => a.source)).toEqual([`cli-${tag}`, `cli-${tag}`, `cli-${tag}`]);
    expect(stored.reduce((n, a) => n + a.packages.length, 0)).toBe(7);

    const again = await runCli(["vuln", "import", dir, "--source", `cli-${tag}`, "--json"], { env: { REDIS_URL: undefined } });
    expect(again.code).toBe(0);
    const body = JSON.parse(again.stdout) as { source: string; stats: Record<string, number>; changedAdvisories: number; issueCount: number; issues: unknown[]; rescan: unknown };
    expect(body).toMatchObject({ source: `cli-${tag}`, stats: { files: 4, records: 4, inserted: 0, updated: 0, unchanged: 3, invalid: 1 }, changedAdvisories: 0, issueCount: 1 });
    expect(body.issues).toEqual([{ origin: "broken.json", id: `GHSA-bad-${tag}`, path: "modified", message: "modified is required", level: "error" }]);
    expect(body.rescan).toEqual({ skipped: "no advisory changed" });
  });

  it("queues the delta re-match of what changed on REDIS_URL, and warns (exit 0) when Redis is unreachable", async () => {
    const tag = uid();
    const { dir, ids } = fixtureDir(tag);
    const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:63799/1";
    const res = await runCli(["vuln", "import", dir, "--json"], { env: { REDIS_URL: redisUrl } });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ changedAdvisories: 3, rescan: { queued: 1 } });

    // The job waits on the workers' queue (default prefix) with exactly the changed advisories.
    const stored = await db.advisory.findMany({ where: { externalId: { in: ids } }, select: { id: true } });
    const redis = createRedis(redisUrl);
    try {
      const waiting = await redis.lrange("bull:bulwark:wait", 0, -1);
      let found: { id: string; data: { advisoryIds: string[]; trigger: string } } | undefined;
      for (const id of waiting) {
        const [name, data] = await redis.hmget(`bull:bulwark:${id}`, "name", "data");
        const parsed = name === "vuln.delta" && data ? (JSON.parse(data) as { advisoryIds: string[]; trigger: string }) : null;
        if (parsed && parsed.advisoryIds.includes(stored[0]!.id)) found = { id, data: parsed };
      }
      expect(found?.data.advisoryIds.sort()).toEqual(stored.map((a) => a.id).sort());
      expect(found?.data.trigger).toMatch(/^import:import:/);
      // Leave the shared test queue as it was.
      await redis.lrem("bull:bulwark:wait", 0, found!.id);
      await redis.del(`bull:bulwark:${found!.id}`);
    } finally {
      redis.disconnect();
    }

    const g = fixtureDir(uid());
    const down = await runCli(["vuln", "import", g.dir], { env: { REDIS_URL: "redis://127.0.0.1:1/0" } });
    expect(down.code).toBe(0);
    expect(down.stdout).toContain("inserted 3");
    expect(down.stderr).toContain("warning: could not queue the re-match");
  });

  it("exits non-zero when the path does not exist, 2 for a bad --source", async () => {
    const missing = await runCli(["vuln", "import", `/nonexistent/${uid()}`, "--no-rescan"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("does not exist");
    const bad = await runCli(["vuln", "import", tmpdir(), "--source", "no spaces allowed", "--no-rescan"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--source");
  });
});
