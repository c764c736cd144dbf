import { Command } from "commander";
import pkg from "../package.json" with { type: "json" };
import { registerAdminCommands } from "./commands/admin.ts";
import { registerConnectCommands } from "./commands/connect.ts";
import { type Io } from "./output.ts";

// Command groups register themselves here; later groups (policy eval, vuln) go alongside admin and connect.
export function buildProgram(io: Io): Command {
  const program = new Command("bulwark")
    .description("Bulwark command line: administer a Bulwark installation and connect clusters, scanners and registries")
    .version(pkg.version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    // Commander would call process.exit itself; main decides exit codes instead.
    .exitOverride();
  program.addHelpText("after", "\nExit codes: 0 success, 1 error, 2 usage error (bad flags or values).");
  registerAdminCommands(program, io);
  registerConnectCommands(program, io);
  return program;
}
