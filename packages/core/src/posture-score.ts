import { type Severity } from "@bulwark/db";

// Posture score, 0-100 (higher is better). Each open finding weighs by severity; the weighted sum is
// spread over the workloads it could affect, so a large estate with a few problems scores better than
// a tiny one with the same problems. score = round(100 / (1 + weightedOpenFindings / (10 * max(1, workloads)))).
// With no open findings the score is 100; one critical finding per workload gives 50.

export const SEVERITY_WEIGHTS: Record<Severity, number> = { CRITICAL: 10, HIGH: 5, MEDIUM: 2, LOW: 0.5, INFO: 0 };

export const SEVERITIES: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];

export function postureScore(openBySeverity: Partial<Record<Severity, number>>, workloads: number): number {
  let weighted = 0;
  for (const s of SEVERITIES) weighted += (openBySeverity[s] ?? 0) * SEVERITY_WEIGHTS[s];
  return Math.round(100 / (1 + weighted / (10 * Math.max(1, workloads))));
}
