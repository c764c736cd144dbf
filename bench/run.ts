// npm run bench [-- ingest|policy ...]: the benchmarks of docs/benchmarks.md; all of them by default.
import os from "node:os";
import { runIngestBench } from "./ingest.ts";

const all = ["ingest", "policy", "preview", "enforcer", "vuln", "dashboard", "runtime"] as const;
const wanted = process.argv.slice(2).filter((a) => a !== "--");
const unknown = wanted.filter((w) => !(all as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")} (known: ${all.join(", ")})`);
  process.exit(2);
}
const run = wanted.length > 0 ? wanted : all;

console.log(`date: ${new Date().toISOString()}`);
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
if (run.includes("policy")) {
  // Pure CPU and first: nothing else of this run is competing with it yet.
  const { benchPolicy } = await import("./policy-eval.bench.ts");
  console.log("\n== policy evaluation (issue 4) ==");
  for (const line of await benchPolicy()) console.log(line);
}
if (run.includes("ingest")) {
  console.log("\n== Trivy ingestion (issue 3) ==");
  await runIngestBench();
}
if (run.includes("preview")) {
  const { runPreviewBench } = await import("./policy-preview.bench.ts");
  console.log("\n== policy impact preview (issue 5) ==");
  await runPreviewBench();
}
if (run.includes("enforcer")) {
  const { runEnforcerBench } = await import("./enforcer.bench.ts");
  console.log("\n== enforcer admission latency (issue 5) ==");
  await runEnforcerBench();
}
if (run.includes("vuln")) {
  const { runVulnBench } = await import("./vuln-rematch.bench.ts");
  console.log("\n== vulnerability re-match (issue 6) ==");
  await runVulnBench();
}
if (run.includes("dashboard")) {
  const { runDashboardBench } = await import("./dashboard.bench.ts");
  console.log("\n== dashboard queries at 1,000,000 findings (issue 7) ==");
  await runDashboardBench();
}
if (run.includes("runtime")) {
  const { runRuntimeBench } = await import("./runtime.bench.ts");
  console.log("\n== runtime events and alerting (issue 8) ==");
  await runRuntimeBench();
}
