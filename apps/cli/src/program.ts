import { Command } from "commander";
import pkg from "../package.json" with { type: "json" };
import { registerAdminCommands } from "./commands/admin.ts";
import { registerConnectCommands } from "./commands/connect.ts";
import { registerPolicyEvalCommand } from "./commands/policy-eval.ts";
import { registerPolicyPssCommand } from "./commands/policy-pss.ts";
import { registerVulnCommands } from "./commands/vuln.ts";
import { readProcessStdin, type StdinReader } from "./input.ts";
import { type Io } from "./output.ts";

// Command groups register themselves here; later groups (vuln) go alongside admin, connect and policy.
/** `readStdin` is injectable so tests can drive commands that read `-` without a child process. */
export function buildProgram(io: Io, readStdin: StdinReader = readProcessStdin): Command {
  const program = new Command("bulwark")
    .description("Bulwark command line: administer a Bulwark installation and connect clusters, scanners and registries")
    .version(pkg.version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    // Commander would call process.exit itself; main decides exit codes instead.
    .exitOverride()
    // Options belong to the command they follow: `policy pss --version v1.30` is the policy version, not -V.
    .enablePositionalOptions();
  program.addHelpText("after", "\nExit codes: 0 success, 1 error, 2 usage error (bad flags or values).");
  registerAdminCommands(program, io);
  registerConnectCommands(program, io);
  const policy = program
    .command("policy")
    .description("judge Kubernetes manifests offline, as a CI step: Bulwark's policies (eval) or the Pod Security Standards (pss)");
  registerPolicyEvalCommand(policy, io, readStdin);
  registerPolicyPssCommand(policy, io, readStdin);
  registerVulnCommands(program, io);
  return program;
}
