// Policy evaluation of the stored inventory (docs/posture.md): results, PSS levels and practice flags on
// Workload rows, bulwark-policy findings, the jobs that run it, and the PolicyReport export.
export { evaluateWorkloads, type EvaluateWorkloadsOptions, type EvaluateWorkloadsResult } from "./evaluate-workloads.ts";
export { practiceFlags, pssLevelOf, toWorkloadPolicyResult, type PracticeFlags, type PssLevelName, type WorkloadPolicyResult, type WorkloadPolicyStatus } from "./results.ts";
export { POLICY_FINDING_SOURCE, policyFindingFingerprint, type PolicyFindingCounts } from "./policy-findings.ts";
export { enqueuePostureEvaluation, postureEvaluateDueJob, postureEvaluateJob, organizationsDueForEvaluation, postureInputHashes, postureInputsKey, postureJobs, POSTURE_MAX_AGE_MS } from "./jobs.ts";
export {
  buildPolicyReports,
  POLICY_REPORT_API_VERSION,
  policyReportsYaml,
  readPolicyResults,
  type PolicyReport,
  type PolicyReportList,
  type PolicyReportResult,
  type PolicyReportSummary,
} from "./policy-report.ts";
export { listPolicyReports, policyReportQuerySchema } from "../use-cases/list-policy-reports.ts";
