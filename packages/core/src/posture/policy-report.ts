import { stringify } from "yaml";
import { type WorkloadPolicyResult, type WorkloadPolicyStatus } from "./results.ts";

// Stored policy results as Kubernetes PolicyReports (wgpolicyk8s.io/v1alpha2, the Policy WG's CRD that
// Policy Reporter, Kyverno and kubectl understand): one report per namespace, one result per workload and
// policy, in a v1 List so `kubectl apply -f` takes the whole answer. Pure: the use case reads the rows.

export const POLICY_REPORT_API_VERSION = "wgpolicyk8s.io/v1alpha2";
export const POLICY_REPORT_SOURCE = "bulwark";

export type PolicyReportSeverity = "critical" | "high" | "medium" | "low" | "info";

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
}

export interface PolicyReportResult {
  source: string;
  policy: string;
  rule: string;
  category: string;
  severity: PolicyReportSeverity;
  result: WorkloadPolicyStatus;
  scored: boolean;
  message: string;
  timestamp: { seconds: number; nanos: number };
  resources: ObjectReference[];
  /** String values only (the CRD's map of string). */
  properties: Record<string, string>;
}

export interface PolicyReportSummary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

export interface PolicyReport {
  apiVersion: typeof POLICY_REPORT_API_VERSION;
  kind: "PolicyReport";
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  summary: PolicyReportSummary;
  results: PolicyReportResult[];
}

export interface PolicyReportList {
  apiVersion: "v1";
  kind: "List";
  metadata: Record<string, never>;
  items: PolicyReport[];
}

/** A live workload as the report needs it. */
export interface ReportedWorkload {
  id: string;
  namespace: string;
  apiVersion: string;
  kind: string;
  name: string;
  uid: string | null;
  evaluatedAt: Date | null;
  policyResults: unknown;
}

const STATUSES: ReadonlySet<string> = new Set(["pass", "fail", "warn", "skip", "error"]);

/** Entries of a stored policyResults value that have the documented shape (anything else is left out). */
export function readPolicyResults(value: unknown): WorkloadPolicyResult[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is WorkloadPolicyResult =>
      typeof e === "object" && e !== null && typeof (e as WorkloadPolicyResult).policy === "string" && STATUSES.has((e as WorkloadPolicyResult).result),
  );
}

function timestamp(d: Date): { seconds: number; nanos: number } {
  const ms = d.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

function toResult(w: ReportedWorkload, e: WorkloadPolicyResult, cluster: string): PolicyReportResult {
  const resource: ObjectReference = { apiVersion: w.apiVersion, kind: w.kind, name: w.name, namespace: w.namespace, ...(w.uid ? { uid: w.uid } : {}) };
  return {
    source: POLICY_REPORT_SOURCE,
    policy: e.policy,
    rule: e.policy,
    category: e.category,
    severity: (e.severity?.toLowerCase() ?? "medium") as PolicyReportSeverity,
    result: e.result,
    // INFO policies report "warn": not scored, as the CRD defines warn.
    scored: e.result !== "warn",
    message: e.message ?? e.title,
    timestamp: timestamp(w.evaluatedAt!),
    resources: [resource],
    properties: {
      title: e.title,
      cluster,
      workloadId: w.id,
      ...(e.containers?.length ? { containers: e.containers.join(",") } : {}),
    },
  };
}

/** One PolicyReport per namespace of `workloads` (workloads never evaluated contribute no result). */
export function buildPolicyReports(cluster: string, workloads: readonly ReportedWorkload[]): PolicyReportList {
  const byNamespace = new Map<string, PolicyReport>();
  for (const w of workloads) {
    let report = byNamespace.get(w.namespace);
    if (!report) {
      report = {
        apiVersion: POLICY_REPORT_API_VERSION,
        kind: "PolicyReport",
        metadata: {
          name: `bulwark-${w.namespace}`,
          namespace: w.namespace,
          labels: { "app.kubernetes.io/managed-by": "bulwark" },
          annotations: { "bulwark.io/cluster": cluster },
        },
        summary: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 },
        results: [],
      };
      byNamespace.set(w.namespace, report);
    }
    if (!w.evaluatedAt) continue;
    for (const e of readPolicyResults(w.policyResults)) {
      report.results.push(toResult(w, e, cluster));
      report.summary[e.result]++;
    }
  }
  const items = [...byNamespace.values()].sort((a, b) => (a.metadata.namespace < b.metadata.namespace ? -1 : 1));
  return { apiVersion: "v1", kind: "List", metadata: {}, items };
}

/** The list as YAML, ready for `kubectl apply -f -`. */
export function policyReportsYaml(list: PolicyReportList): string {
  return stringify(list, { lineWidth: 0 });
}
