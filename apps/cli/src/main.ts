import { CommanderError } from "commander";
import { buildProgram } from "./program.ts";
import { EXIT_OK, EXIT_USAGE, processIo, reportError } from "./output.ts";

// Entry point (bin/bulwark.js). Exit codes: 0 ok, 1 error, 2 usage. Commands report their own errors
// and set process.exitCode; only parse errors and the unexpected reach the catch below.

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(processIo);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (err) {
    // Commander has already printed its message; --help and --version arrive here with exit code 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    return reportError(err, processIo);
  }
}

// Not process.exit(): let stdout drain, so piped output is never cut short.
process.exitCode = await main(process.argv);
