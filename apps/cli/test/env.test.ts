import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { adminEnv, findRepoRoot, loadRootDotEnv } from "../src/env.ts";
import { CliError } from "../src/output.ts";

const dirs: string[] = [];
function repo(dotenv?: string) {
  const root = mkdtempSync(join(tmpdir(), "bulwark-env-"));
  dirs.push(root);
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "root", workspaces: ["apps/*"] }));
  const nested = join(root, "apps", "cli", "src");
  mkdirSync(nested, { recursive: true });
  writeFileSync(join(root, "apps", "cli", "package.json"), JSON.stringify({ name: "cli" }));
  if (dotenv !== undefined) writeFileSync(join(root, ".env"), dotenv);
  return { root, nested };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("cli env", () => {
  it("finds the workspace root above nested packages", () => {
    const { root, nested } = repo();
    expect(findRepoRoot(nested)).toBe(root);
    expect(findRepoRoot(tmpdir())).toBeUndefined();
  });

  it("loads the root .env only when DATABASE_URL is unset, never overriding set variables", () => {
    const { root, nested } = repo('DATABASE_URL=postgresql://a@h/db\nLOG_LEVEL=debug\nQUOTED="x y"\n');
    const env: Record<string, string | undefined> = { LOG_LEVEL: "warn" };
    expect(loadRootDotEnv(env, [nested])).toBe(join(root, ".env"));
    expect(env).toEqual({ DATABASE_URL: "postgresql://a@h/db", LOG_LEVEL: "warn", QUOTED: "x y" });

    const preset: Record<string, string | undefined> = { DATABASE_URL: "postgresql://set@h/db" };
    expect(loadRootDotEnv(preset, [nested])).toBeUndefined();
    expect(preset).toEqual({ DATABASE_URL: "postgresql://set@h/db" });
  });

  it("explains a missing or malformed DATABASE_URL", () => {
    expect(adminEnv({ DATABASE_URL: "postgres://u@h:5432/db" })).toEqual({ DATABASE_URL: "postgres://u@h:5432/db" });
    const bad = (() => {
      try {
        adminEnv({ DATABASE_URL: "mysql://x" });
      } catch (e) {
        return e;
      }
    })();
    expect(bad).toBeInstanceOf(CliError);
    expect((bad as CliError).message).toBe("DATABASE_URL must be a postgresql:// URL");
    expect((bad as CliError).exitCode).toBe(1);
  });
});
