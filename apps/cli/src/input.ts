import { readFileSync, statSync } from "node:fs";
import { CliError, EXIT_USAGE } from "./output.ts";

// Every command that takes FILE or `-` reads it here: one size bound per use, one error wording.

/** Reads the whole of stdin; injectable so tests need no child process. */
export type StdinReader = (maxBytes: number, hint: string) => Promise<string>;

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** All of stdin as UTF-8, refused at a terminal (with `hint`, an example pipe) and above `maxBytes`. */
export const readProcessStdin: StdinReader = async (maxBytes, hint) => {
  if (process.stdin.isTTY) throw new CliError(`no input on stdin: ${hint}`, EXIT_USAGE);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new CliError(`stdin is larger than ${mib(maxBytes)}`, EXIT_USAGE);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
};

/** A file as UTF-8; usage errors (exit 2) for a missing, unreadable or oversized file. */
export function readTextFile(file: string, maxBytes: number): string {
  try {
    if (statSync(file).size > maxBytes) throw new CliError(`${file} is larger than ${mib(maxBytes)}`, EXIT_USAGE);
    return readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, EXIT_USAGE);
  }
}
