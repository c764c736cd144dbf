import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import { CliError, EXIT_ERROR, EXIT_USAGE } from "./output.ts";

// The CLI's only reader of process.env. Most commands need no configuration; admin commands need the
// database, so DATABASE_URL is checked when one of them runs rather than at start.

type EnvSource = Record<string, string | undefined>;

/** The nearest directory at or above `start` whose package.json declares npm workspaces. */
export function findRepoRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: unknown }).workspaces) return dir;
      } catch {
        // An unreadable package.json is not the root; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * When DATABASE_URL is not set, reads the repository's .env (written by `npm start`) so
 * `npx bulwark admin ...` works from a checkout without exporting anything. Variables already set win.
 * Returns the file it loaded, if any.
 */
export function loadRootDotEnv(env: EnvSource = process.env, startDirs: string[] = [process.cwd(), import.meta.dirname]): string | undefined {
  if (env.DATABASE_URL) return undefined;
  for (const start of startDirs) {
    const root = findRepoRoot(start);
    const file = root && join(root, ".env");
    if (!file || !existsSync(file)) continue;
    for (const [key, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
      if (env[key] === undefined) env[key] = value;
    }
    return file;
  }
  return undefined;
}

const adminEnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "is not set; export it or create .env at the repository root (see .env.example)" })
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
});

export type AdminEnv = z.output<typeof adminEnvSchema>;

export function adminEnv(env: EnvSource = process.env): AdminEnv {
  loadRootDotEnv(env);
  const parsed = adminEnvSchema.safeParse({ DATABASE_URL: env.DATABASE_URL || undefined });
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new CliError(`DATABASE_URL ${issue?.message ?? "is invalid"}`, EXIT_ERROR);
}

const connectEnvSchema = z.object({
  BULWARK_URL: z.url({ error: "must be an http(s) URL such as https://bulwark.example.com" }).default("http://localhost:3000"),
  BULWARK_TOKEN: z.string().trim().min(1).optional(),
});

export type ConnectEnv = z.output<typeof connectEnvSchema>;

/** Server URL and connector token for `bulwark connect`: flags win over BULWARK_URL / BULWARK_TOKEN. */
export function connectEnv(env: EnvSource = process.env): ConnectEnv {
  const parsed = connectEnvSchema.safeParse({ BULWARK_URL: env.BULWARK_URL || undefined, BULWARK_TOKEN: env.BULWARK_TOKEN || undefined });
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new CliError(`${issue?.path.join(".") ?? "environment"} ${issue?.message ?? "is invalid"}`, EXIT_USAGE);
}
