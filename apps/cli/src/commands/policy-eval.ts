import { readProcessStdin, readTextFile, type StdinReader } from "../input.ts";
import { type Command, InvalidArgumentError } from "commander";
import {
  compilePolicyFile,
  compilePolicySet,
  evaluate,
  locateInYaml,
  parseManifests,
  parsePath,
  parseYamlSource,
  toResource,
  type CompiledPolicy,
  type EvaluationSettings,
  type LifecycleStage,
  type PolicyFileError,
  type Severity,
} from "@bulwark/policy";
import type * as Sarif from "sarif";
import pkg from "../../package.json" with { type: "json" };
import { CliError, EXIT_ERROR, EXIT_OK, EXIT_USAGE, type Io, reportError } from "../output.ts";

// `bulwark policy eval`: judge manifests in a CI pipeline with every built-in policy (at its default
// enforcement) plus the organization's own (--policies), offline. Image scan facts are unknown here,
// so image-fact policies pass; exit code 1 when an ENFORCE policy fails, which is what breaks a build.

const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const STDIN_HINT = "pipe manifests in (e.g. helm template . | bulwark policy eval -)";
/** Where SARIF rules link to; each policy is a section of the policy reference (`#<policy-id>`). */
export const POLICY_DOCS_URL = "https://github.com/bulwark-dev/bulwark/blob/main/docs/policies.md";
const FORMATS = ["json", "table", "sarif"] as const;
type Format = (typeof FORMATS)[number];

interface EvalOptions {
  policies?: string;
  trustedRegistry: string[];
  format: Format;
  stage: LifecycleStage | "all";
}


export interface DocumentReport {
  source: string;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  violations: { policy: string; severity: Severity; message: string; container?: string; path?: string }[];
  /** Only for a document that could not be read. */
  error?: { message: string; line?: number; column?: number };
}

/** What the formatters need beyond the JSON report: which policy, where in the file, blocking or not. */
interface Finding {
  doc: number;
  policy: CompiledPolicy;
  message: string;
  container?: string;
  path?: string;
  line?: number;
}

function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of: ${FORMATS.join(", ")}`);
  return value as Format;
}

function parseStage(value: string): LifecycleStage | "all" {
  const v = value.toUpperCase();
  if (v === "ALL") return "all";
  if (v !== "BUILD" && v !== "DEPLOY" && v !== "RUNTIME") throw new InvalidArgumentError("expected BUILD, DEPLOY, RUNTIME or all");
  return v;
}

function parseRegistry(value: string, previous: string[]): string[] {
  const v = value.trim();
  if (v === "" || /\s/.test(v)) throw new InvalidArgumentError("expected a registry host, e.g. ghcr.io or registry.acme.internal:5000");
  return [...previous, v];
}



function describeFileError(file: string, e: PolicyFileError): string {
  const where = e.file ? `${file}:${e.file.line}:${e.file.column}` : file;
  const inExpression = e.expression ? ` (expression line ${e.expression.line}, column ${e.expression.column})` : "";
  return `${where}: ${e.path === "" ? "" : `${e.path}: `}${e.message}${inExpression}`;
}

function loadPolicies(file: string | undefined, io: Io): CompiledPolicy[] {
  if (file === undefined) {
    const set = compilePolicySet([], { withBuiltins: true });
    if (!set.ok) throw new CliError("built-in policies failed to compile", EXIT_ERROR);
    return set.policies;
  }
  const result = compilePolicyFile(readTextFile(file, MAX_INPUT_BYTES), { withBuiltins: true });
  if (result.ok) return result.policies;
  io.err(`error: invalid policy file ${file}:`);
  for (const e of result.errors) io.err(`  ${describeFileError(file, e)}`);
  throw new CliError(`${result.errors.length} error(s) in ${file}`, EXIT_USAGE);
}

/** Line of `path` inside document `index` (and List item `itemIndex`) of `text`; found lazily, once per text. */
function lineFinder(text: string): (index: number, itemIndex: number | undefined, path: string | undefined) => number | undefined {
  let source: ReturnType<typeof parseYamlSource> | null = null;
  return (index, itemIndex, path) => {
    if (source === null) source = parseYamlSource(text, "1.1");
    const doc = source?.documents[index];
    if (!source || !doc) return undefined;
    const prefix: (string | number)[] = itemIndex === undefined ? [] : ["items", itemIndex];
    const offset = locateInYaml(doc, [...prefix, ...(path ? (parsePath(path) ?? []) : [])]);
    return offset === undefined ? undefined : source.position(offset).line;
  };
}

export async function runPolicyEval(files: string[], opts: EvalOptions, io: Io, readStdin: StdinReader = readProcessStdin, now: () => string = () => new Date().toISOString()): Promise<number> {
  if (files.filter((f) => f === "-").length > 1) throw new CliError("stdin (-) can be given only once", EXIT_USAGE);
  const policies = loadPolicies(opts.policies, io);
  // Read everything first, so an unreadable file fails the run before any verdict is printed.
  const inputs: { source: string; text: string }[] = [];
  for (const file of files) inputs.push(file === "-" ? { source: "stdin", text: await readStdin(MAX_INPUT_BYTES, STDIN_HINT) } : { source: file, text: readTextFile(file, MAX_INPUT_BYTES) });

  const settings: EvaluationSettings = { trustedRegistries: opts.trustedRegistry, allowedDeployers: [], maxScanAgeHours: 168, now: now() };
  const byId = new Map(policies.map((p) => [p.id, p]));
  const reports: DocumentReport[] = [];
  const findings: Finding[] = [];
  let code = EXIT_OK;
  for (const { source, text } of inputs) {
    const lineOf = opts.format === "sarif" ? lineFinder(text) : undefined;
    for (const doc of parseManifests(text, source)) {
      if (!doc.object) {
        // A document that cannot be read cannot be shown to comply.
        reports.push({ source, kind: null, namespace: null, name: null, violations: [], error: doc.error ?? { message: "unreadable document" } });
        code = EXIT_ERROR;
        continue;
      }
      const resource = toResource(doc.object);
      const report: DocumentReport = { source, kind: resource.kind || null, namespace: resource.namespace ?? null, name: resource.name || null, violations: [] };
      const results = evaluate(policies, { resource, images: {}, settings }, opts.stage === "all" ? undefined : { stage: opts.stage });
      for (const result of results) {
        if (result.status === "pass") continue;
        const policy = byId.get(result.policyId)!;
        if (policy.enforcement === "ENFORCE") code = EXIT_ERROR;
        const violations = result.status === "error" ? [{ message: `${policy.name}: could not be evaluated: ${result.error ?? "unknown error"}` }] : result.violations;
        for (const v of violations) {
          const entry = { policy: policy.id, severity: policy.severity, message: v.message, ...("container" in v && v.container !== undefined ? { container: v.container } : {}), ...("path" in v && v.path !== undefined ? { path: v.path } : {}) };
          report.violations.push(entry);
          const line = lineOf?.(doc.index, doc.itemIndex, entry.path);
          findings.push({ doc: reports.length, policy, message: v.message, ...(entry.container ? { container: entry.container } : {}), ...(entry.path ? { path: entry.path } : {}), ...(line ? { line } : {}) });
        }
      }
      reports.push(report);
    }
  }

  if (opts.format === "json") io.out(JSON.stringify(reports, null, 2));
  else if (opts.format === "table") io.out(formatTable(reports, findings));
  else io.out(JSON.stringify(toSarif(reports, findings, policies), null, 2));
  return code;
}

function formatTable(reports: DocumentReport[], findings: Finding[]): string {
  const lines: string[] = [];
  let blocking = 0;
  reports.forEach((r, i) => {
    const what = r.error ? `unreadable: ${r.error.message}${r.error.line ? ` (line ${r.error.line})` : ""}` : `${r.kind ?? "?"} ${r.namespace ? `${r.namespace}/` : ""}${r.name ?? "?"}`;
    const mine = findings.filter((f) => f.doc === i);
    lines.push(`${r.source}: ${what}${r.error ? "" : mine.length === 0 ? "  ✓ no violations" : ""}`);
    for (const f of mine) {
      if (f.policy.enforcement === "ENFORCE") blocking++;
      lines.push(`  ${f.policy.enforcement.padEnd(7)} ${f.policy.severity.padEnd(8)} ${f.policy.id}: ${f.message}`);
      if (f.path) lines.push(`  ${" ".repeat(17)}at ${f.path}`);
    }
  });
  const total = findings.length;
  lines.push("", `${reports.length} document(s), ${total} violation(s), ${blocking} from ENFORCE policies${blocking > 0 ? " (failing)" : ""}`);
  return lines.join("\n");
}

// SARIF 2.1.0 as GitHub code scanning and other viewers read it: rules are policies, results are
// violations located in the manifest file (line where the path can be found) and by resource path.
const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { CRITICAL: "error", HIGH: "error", MEDIUM: "warning", LOW: "note", INFO: "note" };
const SECURITY_SEVERITY: Record<Severity, string> = { CRITICAL: "9.5", HIGH: "8.0", MEDIUM: "5.5", LOW: "3.0", INFO: "0.0" };

function toSarif(reports: DocumentReport[], findings: Finding[], policies: readonly CompiledPolicy[]): Sarif.Log {
  const used = policies.filter((p) => findings.some((f) => f.policy === p));
  const ruleIndex = new Map(used.map((p, i) => [p.id, i]));
  const sources = [...new Set(reports.map((r) => r.source))];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Bulwark",
            version: pkg.version,
            informationUri: POLICY_DOCS_URL,
            rules: used.map((p) => ({
              id: p.id,
              name: p.name,
              shortDescription: { text: p.name },
              fullDescription: { text: p.description || p.name },
              help: { text: [p.rationale, p.remediation && `Remediation: ${p.remediation}`].filter(Boolean).join("\n\n") || p.name },
              helpUri: `${POLICY_DOCS_URL}#${p.id}`,
              defaultConfiguration: { level: SARIF_LEVEL[p.severity] },
              properties: { "security-severity": SECURITY_SEVERITY[p.severity], tags: ["security", p.category, ...p.mitre], enforcement: p.enforcement },
            })),
          },
        },
        artifacts: sources.map((s) => ({ location: { uri: s } })),
        results: findings.map((f) => {
          const report = reports[f.doc]!;
          const resource = `${report.kind ?? "?"}/${report.namespace ? `${report.namespace}/` : ""}${report.name ?? "?"}`;
          return {
            ruleId: f.policy.id,
            ruleIndex: ruleIndex.get(f.policy.id),
            level: SARIF_LEVEL[f.policy.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: report.source, index: sources.indexOf(report.source) }, ...(f.line ? { region: { startLine: f.line } } : {}) },
                logicalLocations: [{ fullyQualifiedName: f.path ? `${resource}:${f.path}` : resource, kind: "resource" }],
              },
            ],
            // Stable across runs and line moves, so code scanning tracks a finding instead of re-opening it.
            partialFingerprints: { "bulwarkFinding/v1": `${f.policy.id}|${resource}|${f.container ?? ""}|${f.path ?? ""}` },
          };
        }),
      },
    ],
  };
}

function collectDefault(): string[] {
  return [];
}

export function registerPolicyEvalCommand(policy: Command, io: Io, readStdin: StdinReader = readProcessStdin): void {
  policy
    .command("eval")
    .description("judge manifests with the built-in policies and your own, offline (for CI pipelines)")
    .argument("<file...>", "YAML or JSON manifests (multi-document and List files too), or - for stdin")
    .option("--policies <file>", "YAML/JSON list of policy definitions; an entry with a built-in's id overrides it (e.g. enforcement, disabled)")
    .option("--trusted-registry <host>", "registry allowed by trusted-registries (repeatable); none: that policy is off", parseRegistry, collectDefault())
    .option("--format <format>", "json, table or sarif", parseFormat, "json")
    .option("--stage <stage>", "lifecycle stage whose policies run: BUILD, DEPLOY, RUNTIME or all", parseStage, "BUILD")
    .addHelpText(
      "after",
      [
        "",
        "JSON output: one entry per document: {source, kind, namespace, name, violations: [{policy, severity,",
        "message, container?, path?}]}; a document that cannot be parsed has an error instead. Image scan facts",
        "are unknown offline, so policies about vulnerabilities, malware and signatures pass.",
        "",
        "Exit codes: 0 no ENFORCE policy failed, 1 an ENFORCE policy failed (or a document is unreadable),",
        "2 usage error or invalid policy file.",
        "",
        "Examples:",
        "  bulwark policy eval --trusted-registry ghcr.io --format table k8s/*.yaml",
        "  helm template . | bulwark policy eval --policies policies.yaml --format sarif - > bulwark.sarif",
      ].join("\n"),
    )
    .action(async (files: string[], opts: EvalOptions) => {
      try {
        process.exitCode = await runPolicyEval(files, opts, io, readStdin);
      } catch (err) {
        process.exitCode = reportError(err, io);
      }
    });
}
