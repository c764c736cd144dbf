// Which CEL library should the policy engine use? This script answers with data: the CEL features
// Bulwark policies need, checked on both candidates, and the cost of one compiled evaluation on
// realistic pods. Run: npx tsx bench/cel-choice.ts. The loser, @bufbuild/cel, stays a root
// devDependency only so this comparison can be re-run as both libraries evolve. Results: docs/policies.md.
import os from "node:os";

type Evaluator = (vars: Record<string, unknown>) => unknown;
interface Candidate {
  name: string;
  /** Compile once; throws on a syntax error. */
  compile(expr: string): Evaluator;
}

async function loadBuf(): Promise<Candidate | undefined> {
  try {
    const cel = await import("@bufbuild/cel");
    const { strings } = await import("@bufbuild/cel/ext");
    const env = cel.celEnv({ funcs: strings });
    return {
      name: "@bufbuild/cel 0.6.1",
      compile(expr) {
        const run = cel.plan(env, cel.parse(expr));
        return (vars) => {
          const r = run(vars as never);
          if (cel.isCelError(r)) throw r;
          return r;
        };
      },
    };
  } catch {
    return undefined;
  }
}

async function loadMarc(): Promise<Candidate | undefined> {
  try {
    const cel = await import("@marcbachmann/cel-js");
    const env = new cel.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
    for (const v of ["object", "podSpec", "containers", "image", "request"]) env.registerVariable(v, "dyn");
    return {
      name: "@marcbachmann/cel-js 8.0.0",
      compile(expr) {
        const run = env.parse(expr);
        const checked = run.check();
        if (!checked.valid) throw checked.error ?? new Error("type check failed");
        return (vars) => run(vars);
      },
    };
  } catch {
    return undefined;
  }
}

// A pod as the API server returns it: numbers are JSON numbers (CEL doubles), fields often missing.
function pod(i: number) {
  const containers = Array.from({ length: 1 + (i % 4) }, (_, c) => ({
    name: `c${c}`,
    image: ["nginx:1.27", "ghcr.io/acme/api:2.1.0", "docker.io/library/redis:7", "quay.io/x/y@sha256:abc"][(i + c) % 4],
    ...(i % 3 === 0 ? {} : { securityContext: { runAsUser: (i + c) % 5 === 0 ? 0 : 1000, ...(i % 7 === c ? { privileged: i % 2 === 0 } : {}), capabilities: { add: c === 1 ? ["NET_ADMIN"] : [] } } }),
    ports: [{ containerPort: 8080 + c, protocol: "TCP" }],
    env: [{ name: "LOG_LEVEL", value: "info" }, { name: "DB_PASSWORD", value: "hunter2" }],
    resources: { limits: { cpu: "500m", memory: "256Mi" } },
  }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `p${i}`, namespace: `ns${i % 10}`, labels: { app: `a${i % 20}`, team: i % 2 ? "core" : "edge" } },
    spec: { hostNetwork: i % 50 === 0, containers },
  };
}

const image = { registry: "ghcr.io", vulnerabilities: { critical: 2, fixableCritical: 1 }, malware: { detected: false }, signature: { verified: true } };

// [feature, expression, expected]; all evaluated against pod(0)'s variables (pod 7 for privileged).
const FEATURES: [string, string, unknown][] = [
  ["macro exists", "object.spec.containers.exists(c, c.name == 'c0')", true],
  ["macro all", "object.spec.containers.all(c, c.name.startsWith('c'))", true],
  ["macro exists_one", "object.spec.containers.exists_one(c, c.name == 'c0')", true],
  ["macro map", "object.spec.containers.map(c, c.name).size() == 4", true],
  ["macro filter", "object.spec.containers.filter(c, c.name != 'c0').size() == 3", true],
  ["has() on a missing field", "object.spec.containers.exists(c, !has(c.securityContext))", true],
  ["has() on a present field", "has(object.spec.hostNetwork)", true],
  ["has() with an index in the chain", "has(object.spec.containers[0].securityContext)", false],
  ["optional field .?x.orValue()", "object.spec.containers[0].?securityContext.?runAsUser.orValue(-1) == -1", true],
  ["startsWith/endsWith/contains", "object.metadata.name.startsWith('p') && object.metadata.name.endsWith('7') && 'ghcr.io/acme'.contains('acme')", true],
  ["matches (RE2)", "object.spec.containers[1].image.matches('^nginx:[0-9.]+$')", true],
  ["size() function and method", "size(object.metadata.name) == 2 && object.metadata.name.size() == 2", true],
  ["lowerAscii", "'NGINX'.lowerAscii() == 'nginx'", true],
  ["in on a list", "'NET_ADMIN' in object.spec.containers[1].securityContext.capabilities.add", true],
  ["in on a map (key)", "'app' in object.metadata.labels", true],
  ["JSON number == int literal", "object.spec.containers[0].securityContext.runAsUser == 1000", true],
  ["JSON number < int literal", "object.spec.containers[0].securityContext.runAsUser < 1001", true],
  ["JSON number in int list", "object.spec.containers[0].ports[0].containerPort in [8080, 8443]", true],
  ["int(JSON number) + int", "int(object.spec.containers[0].securityContext.runAsUser) + 1 == 1001", true],
  ["JSON number + int (spec: no overload)", "object.spec.containers[0].securityContext.runAsUser + 1 == 1001", "error"],
  ["missing key is an error (not false)", "object.spec.nope == 1", "error"],
  ["nested image facts", "image.vulnerabilities.fixableCritical > 0 && !image.malware.detected", true],
];

function check(cand: Candidate, expr: string, vars: Record<string, unknown>, expected: unknown): string {
  try {
    const got = cand.compile(expr)(vars);
    if (expected === "error") return `no (got ${String(got)})`;
    return got === expected ? "yes" : `no (got ${String(got)})`;
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0] ?? "";
    return expected === "error" ? "yes (error)" : `no: ${msg.slice(0, 60)}`;
  }
}

function compileError(cand: Candidate, expr: string): string {
  try {
    cand.compile(expr);
    return "accepted";
  } catch (err) {
    const e = err as Error & { range?: { start: number } };
    const where = e.range ? `offset ${e.range.start}` : (/:(\d+):(\d+):/.exec(e.message)?.slice(1).join(":") ?? "none");
    return `${e.message.split("\n")[0]?.slice(0, 70)} [position ${where}]`;
  }
}

function perf(cand: Candidate, expr: string, vars: Record<string, unknown>[]): number {
  const run = cand.compile(expr);
  const n = vars.length;
  let sink = 0;
  for (let i = 0; i < 20_000; i++) if (run(vars[i % n]!) === true) sink++; // warm-up
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const iterations = 100_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (run(vars[i % n]!) === true) sink++;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / iterations);
  }
  if (sink < 0) console.log(sink);
  return best;
}

const PRIVILEGED = "object.spec.containers.exists(c, has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged)";
const TYPICAL = "containers.exists(c, !c.image.startsWith('ghcr.io/acme/') && has(c.securityContext) && has(c.securityContext.runAsUser) && c.securityContext.runAsUser == 0)";

export async function celChoice(): Promise<string[]> {
  const cands = [await loadBuf(), await loadMarc()];
  const names = ["@bufbuild/cel 0.6.1", "@marcbachmann/cel-js 8.0.0"];
  const lines: string[] = [`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), node ${process.version}`, ""];
  lines.push(`| feature | ${names.join(" | ")} |`, `|---|${names.map(() => "---").join("|")}|`);
  const p = pod(7);
  const vars = { object: p, podSpec: p.spec, containers: p.spec.containers, image, request: { operation: "CREATE" } };
  // pod(7): four containers, c0 runs as 1000, c1 is nginx and adds NET_ADMIN; pod(0) has no securityContext.
  const p0 = pod(0);
  const vars0 = { object: p0, podSpec: p0.spec, containers: p0.spec.containers, image, request: { operation: "CREATE" } };
  for (const [feature, expr, expected] of FEATURES) {
    const useP0 = feature.startsWith("has() on a missing") || feature.startsWith("has() with an index") || feature.startsWith("optional");
    const ctx = useP0 ? vars0 : vars;
    lines.push(`| ${feature} | ${cands.map((c) => (c ? check(c, expr, ctx, expected) : "not installed")).join(" | ")} |`);
  }
  lines.push("", "compile errors:");
  for (const bad of ["object.spec.containers.exists(c, c.name ==)", "object.spec.containers.exists(c,\n  c.nmae.startsWith('x') && )", "unknownVar.x == 1"]) {
    lines.push(`  ${JSON.stringify(bad)}`);
    cands.forEach((c, i) => lines.push(`    ${names[i]}: ${c ? compileError(c, bad) : "not installed"}`));
  }
  const pods = Array.from({ length: 1000 }, (_, i) => pod(i));
  const podVars = pods.map((o) => ({ object: o, podSpec: o.spec, containers: o.spec.containers, image, request: { operation: "CREATE" } }));
  lines.push("", "µs per evaluation (compiled once, 1,000 varied pods, best of 3 × 100,000):");
  cands.forEach((c, i) => {
    if (!c) return void lines.push(`  ${names[i]}: not installed`);
    lines.push(`  ${names[i]}: privileged exists ${perf(c, PRIVILEGED, podVars).toFixed(2)} µs; typical custom rule ${perf(c, TYPICAL, podVars).toFixed(2)} µs`);
  });
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await celChoice()).join("\n"));
