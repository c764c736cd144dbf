import { isAppError, toProblem, type AppError } from "@bulwark/core/errors";

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
/** Bad flags or values: the command was used wrongly and would fail the same way again. */
export const EXIT_USAGE = 2;

/** A failure the CLI itself reports, with the exit code to use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_ERROR,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

/**
 * Field paths from core validation name the use case's input ("scopes.1"); users typed flags, so
 * errors name the flag. Each command passes its own mapping.
 */
export type FieldFlags = Record<string, string>;

function flagFor(path: string, flags: FieldFlags): string {
  const head = path.split(".")[0] ?? path;
  const flag = flags[head];
  if (!flag) return path;
  // "scopes.1" keeps its index so the user can tell which list item was wrong.
  return path === head ? flag : `${flag} (${path})`;
}

function exitCodeFor(err: AppError): number {
  return err.code === "VALIDATION_FAILED" || err.code === "BAD_REQUEST" ? EXIT_USAGE : EXIT_ERROR;
}

/** Prints an error the way the user asked for (text or JSON on stderr) and returns the exit code. */
export function reportError(err: unknown, io: Io, opts: { json?: boolean; flags?: FieldFlags } = {}): number {
  const flags = opts.flags ?? {};
  if (isAppError(err)) {
    if (opts.json) {
      const problem = toProblem(err);
      io.err(JSON.stringify({ ...problem, ...(problem.errors ? { errors: problem.errors.map((e) => ({ ...e, flag: flagFor(e.path, flags) })) } : {}) }));
    } else if (err.fields?.length) {
      io.err(`error: ${err.message}`);
      for (const f of err.fields) io.err(`  ${flagFor(f.path, flags)}: ${f.message}`);
    } else {
      io.err(`error: ${err.message}`);
    }
    return exitCodeFor(err);
  }
  const exitCode = err instanceof CliError ? err.exitCode : EXIT_ERROR;
  // This is an operator's tool on their own machine: the underlying message (say, ECONNREFUSED from
  // Postgres) is what they need to act on.
  const message = err instanceof Error ? err.message.trim().split("\n").filter(Boolean).slice(-1)[0] ?? err.name : String(err);
  if (opts.json) io.err(JSON.stringify({ code: exitCode === EXIT_USAGE ? "BAD_REQUEST" : "ERROR", detail: message }));
  else io.err(`error: ${message}`);
  return exitCode;
}
