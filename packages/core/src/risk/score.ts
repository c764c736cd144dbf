// Per-workload risk: a score from 0 to 100 built from explainable factors, each with its points and
// the reason in words. Pure: the caller gathers the facts (see refresh-risk-scores.ts).
// Weights (documented in docs/vulnerabilities.md): exploitation evidence and live attacks weigh most,
// then fixable critical/high vulnerabilities, privileges and exposure. The sum is capped at 100.

export interface RiskFacts {
  fixableCritical: number;
  fixableHigh: number;
  /** Open vulnerabilities whose advisory says exploited in the wild (e.g. CISA KEV). */
  knownExploited: number;
  /** Open vulnerabilities with a public exploit referenced. */
  publicExploit: number;
  /** Privilege-related policies the workload fails (policy keys). */
  privilegePolicies: string[];
  /** How the workload is reachable from outside the cluster. */
  exposure: string[];
  /** Open runtime findings by severity. */
  runtimeCriticalHigh: number;
  runtimeOther: number;
}

export type RiskFactorKey = "known-exploited" | "public-exploit" | "fixable-critical" | "fixable-high" | "privileges" | "exposure" | "runtime-alerts";

export interface RiskFactor {
  key: RiskFactorKey;
  points: number;
  reason: string;
}

export interface RiskAssessment {
  score: number;
  factors: RiskFactor[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function emptyRiskFacts(): RiskFacts {
  return { fixableCritical: 0, fixableHigh: 0, knownExploited: 0, publicExploit: 0, privilegePolicies: [], exposure: [], runtimeCriticalHigh: 0, runtimeOther: 0 };
}

export function assessRisk(f: RiskFacts): RiskAssessment {
  const factors: RiskFactor[] = [];
  if (f.knownExploited > 0) {
    factors.push({ key: "known-exploited", points: 30, reason: `${plural(f.knownExploited, "open vulnerability", "open vulnerabilities")} known to be exploited in the wild` });
  }
  if (f.publicExploit > 0) {
    factors.push({ key: "public-exploit", points: 10, reason: `${plural(f.publicExploit, "open vulnerability", "open vulnerabilities")} with a public exploit` });
  }
  if (f.fixableCritical > 0) {
    factors.push({ key: "fixable-critical", points: Math.min(25, 15 + f.fixableCritical), reason: `${plural(f.fixableCritical, "critical vulnerability", "critical vulnerabilities")} with a fix available` });
  }
  if (f.fixableHigh > 0) {
    factors.push({ key: "fixable-high", points: Math.min(15, 5 + Math.ceil(f.fixableHigh / 2)), reason: `${plural(f.fixableHigh, "high vulnerability", "high vulnerabilities")} with a fix available` });
  }
  if (f.privilegePolicies.length > 0) {
    const names = [...f.privilegePolicies].sort();
    factors.push({ key: "privileges", points: Math.min(20, 10 * names.length), reason: `Fails ${names.join(", ")}` });
  }
  if (f.exposure.length > 0) {
    const exposure = [...new Set(f.exposure)].sort();
    const internetFacing = exposure.some((e) => e.startsWith("LoadBalancer") || e.startsWith("ExternalIP"));
    factors.push({ key: "exposure", points: internetFacing ? 15 : 10, reason: `Reachable from outside the cluster: ${exposure.join(", ")}` });
  }
  if (f.runtimeCriticalHigh + f.runtimeOther > 0) {
    const total = f.runtimeCriticalHigh + f.runtimeOther;
    factors.push({ key: "runtime-alerts", points: f.runtimeCriticalHigh > 0 ? 25 : 10, reason: `${plural(total, "open runtime alert")}${f.runtimeCriticalHigh > 0 ? ` (${f.runtimeCriticalHigh} critical or high)` : ""}` });
  }
  factors.sort((a, b) => b.points - a.points || a.key.localeCompare(b.key));
  return { score: Math.min(100, factors.reduce((s, x) => s + x.points, 0)), factors };
}

/** Exposure of a pod spec itself: host network and host ports bypass Services entirely. */
export function podSpecExposure(podSpec: unknown): string[] {
  if (typeof podSpec !== "object" || podSpec === null) return [];
  const spec = podSpec as { hostNetwork?: unknown; containers?: unknown; initContainers?: unknown };
  const out: string[] = [];
  if (spec.hostNetwork === true) out.push("hostNetwork");
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as Array<{ ports?: Array<{ hostPort?: unknown }> }>) {
      for (const p of c.ports ?? []) if (typeof p.hostPort === "number" && p.hostPort > 0) out.push(`hostPort ${p.hostPort}`);
    }
  }
  return out;
}
