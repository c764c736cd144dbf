import { CliError, EXIT_USAGE } from "./output.ts";

// Secrets come in on stdin, never as flags: flags end up in shell history and `ps` output.

const MAX_SECRET_BYTES = 64 * 1024;

/** Piped input: everything up to EOF, minus one trailing newline. At a terminal: a prompt that does not echo. */
export async function readSecret(prompt: string): Promise<string> {
  const value = process.stdin.isTTY ? await promptHidden(prompt) : await readPiped();
  if (value.length === 0) throw new CliError("no password on stdin (pipe it in, e.g. `printf %s \"$PW\" | bulwark ...`)", EXIT_USAGE);
  return value;
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SECRET_BYTES) throw new CliError("stdin is too large for a password", EXIT_USAGE);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (err?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new CliError("cancelled", 130));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding("utf8");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}
