import { readProcessStdin, readTextFile, type StdinReader } from "../input.ts";
import { type Command, InvalidArgumentError } from "commander";
import { parseManifests, toResource } from "@bulwark/policy/input";
import { evaluatePss, isPssLevel, parsePssVersion, type PssLevel } from "@bulwark/policy/pss";
import { CliError, EXIT_ERROR, EXIT_OK, EXIT_USAGE, type Io, reportError } from "../output.ts";

// `bulwark policy pss`: judge manifests against the Kubernetes Pod Security Standards offline, the
// way the API server's PodSecurity admission would, e.g. in CI before `kubectl apply`.

/** Far above any real manifest set; stops a mistaken `bulwark policy pss /dev/zero`. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const STDIN_HINT = "pipe manifests in (e.g. kubectl get pods -A -o yaml | bulwark policy pss --level baseline -)";

interface PssOptions {
  level: PssLevel;
  version: string;
}


function parseLevel(value: string): PssLevel {
  const v = value.trim().toLowerCase();
  if (!isPssLevel(v)) throw new InvalidArgumentError("expected baseline or restricted");
  return v;
}

function parseVersion(value: string): string {
  const v = value.trim();
  if (parsePssVersion(v) === undefined) throw new InvalidArgumentError("expected latest or v1.N (e.g. v1.30)");
  return v;
}



/** One JSON line per document; returns the exit code. */
export async function runPolicyPss(files: string[], opts: PssOptions, io: Io, readStdin: StdinReader = readProcessStdin): Promise<number> {
  if (files.filter((f) => f === "-").length > 1) throw new CliError("stdin (-) can be given only once", EXIT_USAGE);
  // Read everything first, so an unreadable file fails the run before any verdict is printed.
  const inputs: { source: string; text: string }[] = [];
  for (const file of files) inputs.push(file === "-" ? { source: "stdin", text: await readStdin(MAX_INPUT_BYTES, STDIN_HINT) } : { source: file, text: readTextFile(file, MAX_INPUT_BYTES) });

  let code = EXIT_OK;
  for (const { source, text } of inputs) {
    for (const doc of parseManifests(text, source)) {
      const at = { source, index: doc.index, ...(doc.itemIndex !== undefined ? { itemIndex: doc.itemIndex } : {}) };
      if (!doc.object) {
        // A document that cannot be read cannot be shown to be safe.
        io.out(JSON.stringify({ ...at, allowed: false, error: doc.error ?? { message: "unreadable document" } }));
        code = EXIT_ERROR;
        continue;
      }
      const resource = toResource(doc.object);
      const result = evaluatePss(resource, opts.level, opts.version);
      if (!result.allowed) code = EXIT_ERROR;
      io.out(
        JSON.stringify({
          ...at,
          kind: resource.kind,
          name: resource.name,
          ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
          level: result.level,
          version: result.version,
          applicable: result.applicable,
          allowed: result.allowed,
          failedChecks: result.failedChecks.map((c) => c.id),
          reasons: result.failedChecks,
        }),
      );
    }
  }
  return code;
}

export function registerPolicyPssCommand(policy: Command, io: Io, readStdin: StdinReader = readProcessStdin): void {
  // `--version` below must reach this command: without positional options the root program would
  // take it as its own -V/--version and print the CLI's version instead.
  let root: Command = policy;
  while (root.parent) root = root.parent;
  root.enablePositionalOptions();

  policy
    .command("pss")
    .description("check manifests against the Kubernetes Pod Security Standards (baseline or restricted), offline")
    .argument("<file...>", "YAML or JSON manifests (multi-document and List files too), or - for stdin")
    .requiredOption("--level <level>", "baseline or restricted (restricted includes baseline)", parseLevel)
    .option("--version <version>", "policy version, latest or v1.N, like pod-security.kubernetes.io/enforce-version", parseVersion, "latest")
    .addHelpText(
      "after",
      [
        "",
        "Prints one JSON line per document: {source, index, kind, name, namespace, level, version,",
        "applicable, allowed, failedChecks (Kubernetes check ids), reasons ({id, reason, detail})}.",
        "Workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, ...) are judged by their pod template.",
        "Documents without a pod spec (Service, ConfigMap, ...) are listed too, with applicable false,",
        "allowed true and no failed checks. A document that cannot be parsed is listed with allowed false",
        "and an error.",
        "",
        "Exit codes: 0 every document allowed, 1 some document not allowed or unreadable, 2 usage error.",
        "",
        "Example:",
        "  bulwark policy pss --level restricted --version v1.30 deploy/*.yaml",
        "  kubectl get deploy -A -o yaml | bulwark policy pss --level baseline -",
      ].join("\n"),
    )
    .action(async (files: string[], opts: PssOptions) => {
      try {
        process.exitCode = await runPolicyPss(files, opts, io, readStdin);
      } catch (err) {
        process.exitCode = reportError(err, io);
      }
    });
}
