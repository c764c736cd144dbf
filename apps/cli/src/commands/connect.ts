import { readFileSync } from "node:fs";
import { readProcessStdin, readTextFile } from "../input.ts";
import { type Command, InvalidArgumentError } from "commander";
import { ApiClient, ApiError, type ReportStatus } from "../api-client.ts";
import { connectEnv } from "../env.ts";
import { CliError, EXIT_ERROR, EXIT_USAGE, type Io, reportError } from "../output.ts";

// `bulwark connect ...`: send what a cluster, scanner or registry sees to Bulwark's connector API, in
// the tools' own formats, e.g. `kubectl get ... -o json | bulwark connect inventory --cluster prod`.

const MAX_INPUT_BYTES = 512 * 1024 * 1024;

interface CommonOptions {
  url?: string;
  tokenFile?: string;
  wait?: boolean;
  timeout: number;
  json?: boolean;
}

function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number of seconds (1 or more)");
  return Number(value);
}

function parseName(value: string): string {
  const v = value.trim();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(v)) throw new InvalidArgumentError("use lower-case letters, digits, '-' and '.' (a Kubernetes-style name)");
  return v;
}

function parseDigest(value: string): string {
  const v = value.trim();
  if (!/^sha256:[a-f0-9]{64}$/.test(v)) throw new InvalidArgumentError("expected sha256:<64 hex characters>");
  return v;
}

async function readInput(file: string | undefined): Promise<string> {
  const text =
    !file || file === "-"
      ? await readProcessStdin(MAX_INPUT_BYTES, "give a FILE or pipe JSON in (e.g. kubectl ... -o json | bulwark connect ...)")
      : readTextFile(file, MAX_INPUT_BYTES);
  // Fail here, with the position, rather than after an upload.
  try {
    JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file && file !== "-" ? file : "stdin"} is not valid JSON: ${(err as Error).message}`, EXIT_USAGE);
  }
  return text;
}

function client(opts: CommonOptions): ApiClient {
  const env = connectEnv();
  // No --token flag on purpose: flags end up in shell history and `ps` output.
  const token = opts.tokenFile ? readFileSync(opts.tokenFile, "utf8").trim() : env.BULWARK_TOKEN;
  if (!token) throw new CliError("no connector token: set BULWARK_TOKEN (or --token-file) to a token with the ingest scope", EXIT_USAGE);
  return new ApiClient({ baseUrl: opts.url ?? env.BULWARK_URL, token });
}

async function send(io: Io, opts: CommonOptions, method: "POST" | "PUT", path: string, file: string | undefined): Promise<void> {
  try {
    const api = client(opts);
    const json = await readInput(file);
    const accepted = await api.sendReport(method, path, json);
    let final: ReportStatus | undefined;
    if (opts.wait) final = await waitFor(api, accepted.statusUrl, opts.timeout);
    if (opts.json) io.out(JSON.stringify(final ?? accepted, null, 2));
    else {
      io.out(`accepted report ${accepted.id} (${accepted.status}) ${accepted.statusUrl}`);
      if (final) io.out(`${final.status}${Object.keys(final.counts).length ? ` ${JSON.stringify(final.counts)}` : ""}${final.error ? `: ${final.error}` : ""}`);
    }
    if (final?.status === "FAILED") process.exitCode = EXIT_ERROR;
  } catch (err) {
    if (err instanceof ApiError && !opts.json) {
      // Every field error on its own line: that is what the user fixes in the report.
      io.err(`error: ${err.message}`);
      process.exitCode = err.exitCode;
    } else {
      process.exitCode = reportError(err, io, { json: opts.json });
    }
  }
}

async function waitFor(api: ApiClient, statusUrl: string, timeoutSeconds: number): Promise<ReportStatus> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const r = await api.getReport(statusUrl);
    if (r.status === "PROCESSED" || r.status === "FAILED") return r;
    if (Date.now() > deadline) throw new CliError(`report ${r.id} is still ${r.status} after ${timeoutSeconds}s (is a worker running?)`, EXIT_ERROR);
    await new Promise((res) => setTimeout(res, 1000));
  }
}

function common(cmd: Command): Command {
  return cmd
    .option("--url <url>", "Bulwark URL (default: $BULWARK_URL or http://localhost:3000)")
    .option("--token-file <path>", "read the connector token from this file (default: $BULWARK_TOKEN)")
    .option("--wait", "wait until the report is processed and print its counts")
    .option("--timeout <seconds>", "with --wait, give up after this long", parseSeconds, 120)
    .option("--json", "print the result as JSON");
}

export function registerConnectCommands(program: Command, io: Io): void {
  const connect = program
    .command("connect")
    .description("send inventories, scan reports, SBOMs and runtime events to Bulwark (needs a token with the ingest scope)");

  common(connect.command("inventory").argument("[file]", "kubectl List JSON, or - for stdin"))
    .description("send a cluster's full inventory snapshot (what `kubectl get ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes -A -o json` prints)")
    .requiredOption("--cluster <name>", "the cluster's name in Bulwark (created on first report)", parseName)
    .addHelpText("after", "\nExample:\n  kubectl get ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes -A -o json | bulwark connect inventory --cluster prod")
    .action((file: string | undefined, opts: CommonOptions & { cluster: string }) =>
      send(io, opts, "PUT", `/api/v1/clusters/${encodeURIComponent(opts.cluster)}/inventory`, file),
    );

  common(connect.command("trivy").argument("[file]", "Trivy JSON report (SchemaVersion 2), or - for stdin"))
    .description("send a Trivy image report: vulnerabilities, misconfigurations, secrets and packages")
    .addHelpText("after", "\nExample:\n  trivy image -f json --list-all-pkgs nginx:1.25 | bulwark connect trivy")
    .action((file: string | undefined, opts: CommonOptions) => send(io, opts, "POST", "/api/v1/reports/trivy", file));

  common(connect.command("sbom").argument("[file]", "CycloneDX JSON SBOM (1.4-1.7), or - for stdin"))
    .description("send an image's CycloneDX SBOM, kept for rescans against new advisories")
    .requiredOption("--digest <digest>", "the image digest the SBOM describes (sha256:...)", parseDigest)
    .action((file: string | undefined, opts: CommonOptions & { digest: string }) =>
      send(io, opts, "POST", `/api/v1/sbom?digest=${encodeURIComponent(opts.digest)}`, file),
    );

  common(connect.command("falco").argument("[file]", "one Falco event or an array (falcosidekick webhook JSON), or - for stdin"))
    .description("send Falco runtime events")
    .action((file: string | undefined, opts: CommonOptions) => send(io, opts, "POST", "/api/v1/events/falco", file));

  common(connect.command("registry").argument("[file]", "registry image list JSON, or - for stdin"))
    .description("send a registry connector's image list (digests, tags, signatures, malware verdicts)")
    .requiredOption("--registry <name>", "the registry's name in Bulwark", parseName)
    .action((file: string | undefined, opts: CommonOptions & { registry: string }) =>
      send(io, opts, "POST", `/api/v1/registries/${encodeURIComponent(opts.registry)}/images`, file),
    );
}
