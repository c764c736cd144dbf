import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { buildProgram } from "../src/program.ts";

// Runs the real `bulwark` launcher in a child process, as a user would.

export const BIN = fileURLToPath(new URL("../bin/bulwark.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is required (npm test sets it)");
  return url;
}

export const uid = () => randomBytes(5).toString("hex");

export function runCli(args: string[], opts: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: testDatabaseUrl(), ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/**
 * Runs `bulwark <args>` in this process through the real program, with stdin injected and output
 * captured; the exit code is what main.ts would return.
 */
export async function runInProcess(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = { out: (t: string) => void (stdout += t.endsWith("\n") ? t : `${t}\n`), err: (t: string) => void (stderr += t.endsWith("\n") ? t : `${t}\n`) };
  const program = buildProgram(io, () => Promise.resolve(stdin));
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(["node", "bulwark", ...args]);
    code = typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    // What main.ts does with commander's own errors.
    if (!(err instanceof CommanderError)) throw err;
    code = err.exitCode === 0 ? 0 : 2;
  } finally {
    process.exitCode = undefined;
  }
  return { code, stdout, stderr };
}
