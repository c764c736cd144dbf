import { type Db, withSqlTransaction } from "@bulwark/db";
import { applyExceptions as waive, type CompiledPolicy, evaluate } from "@bulwark/policy";
import { readBundleSettings, readPolicyExceptions } from "../bundles/content.ts";
import { type FindingRow } from "../ingest/store-findings.ts";
import { forEachWorkloadInput } from "../policies/inventory-inputs.ts";
import { loadPolicySet } from "../use-cases/load-policy-set.ts";
import { hasResponse, type PostureResponseCandidate, requestPostureResponses } from "../response/posture.ts";
import { type PolicyFindingCounts, policyFindingRow, storePolicyFindings } from "./policy-findings.ts";
import { practiceFlags, pssLevelOf, toWorkloadPolicyResult, type WorkloadPolicyResult } from "./results.ts";

// The organization's central policy set against its stored inventory: for every live workload (of the
// organization, or of one cluster after its inventory arrived) the result of each enabled policy
// (approved exceptions honoured, as at admission), its Pod Security Standards level and the practice
// flags, stored on the Workload row, and its failing policies as MISCONFIGURATION findings. Rows are
// compared in Postgres and only those that changed are written: a re-evaluation that finds nothing new
// costs reads only.

export interface EvaluateWorkloadsOptions {
  clusterId?: string | undefined;
  now?: Date;
}

export interface EvaluateWorkloadsResult {
  workloads: number;
  changed: number;
  /** Enabled policies for running workloads (stage RUNTIME). */
  policies: number;
  findings: PolicyFindingCounts;
  durationMs: number;
}

/** The evaluation time is refreshed at most this often on workloads whose results did not change. */
const EVALUATED_AT_REFRESH_MS = 3_600_000;
const CHUNK = 5_000;

const STAGE_COLUMNS = ["id", "pss", "non_root", "read_only", "trusted", "results"] as const;

export async function evaluateWorkloads(db: Db, orgId: string, opts: EvaluateWorkloadsOptions = {}): Promise<EvaluateWorkloadsResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const [policySet, settings, exceptions] = await Promise.all([loadPolicySet(db, orgId), readBundleSettings(db, orgId), readPolicyExceptions(db, orgId, now)]);
  const policies = new Map<string, CompiledPolicy>(policySet.compiled.map((p) => [p.id, p]));

  const staged: Array<[string, string | null, boolean | null, boolean | null, boolean | null, string]> = [];
  const findings: FindingRow[] = [];
  const responses: PostureResponseCandidate[] = [];
  const workloads = await forEachWorkloadInput(
    db,
    orgId,
    { ...settings, now: now.toISOString() },
    (w, input) => {
      const raw = evaluate(policySet.compiled, input, { stage: "RUNTIME" });
      const results = exceptions.length > 0 ? waive(raw, exceptions, input) : raw;
      const entries: WorkloadPolicyResult[] = [];
      for (const r of results) {
        const policy = policies.get(r.policyId);
        if (!policy) continue;
        const entry = toWorkloadPolicyResult(policy, r);
        entries.push(entry);
        if (entry.result === "fail" || entry.result === "warn") {
          const at = { workloadId: w.id, clusterId: w.clusterId, namespaceId: w.namespaceId, cluster: w.cluster, namespace: w.namespace, kind: w.kind, name: w.name };
          findings.push(policyFindingRow({ ...at, result: entry.result, policy, violations: r.violations }, now));
          if (r.status === "fail" && hasResponse(policy)) responses.push({ workload: w, policy, message: r.violations[0]?.message });
        }
      }
      entries.sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
      const flags = practiceFlags(input);
      staged.push([w.id, pssLevelOf(input.resource), flags.nonRoot, flags.readOnlyRootFs, flags.trustedImages, JSON.stringify(entries)]);
    },
    { clusterId: opts.clusterId },
  );

  const evaluated = await withSqlTransaction(db, async (tx) => {
    await tx.$executeRaw`CREATE TEMP TABLE IF NOT EXISTS bulwark_posture_stage
      (id text, pss text, non_root boolean, read_only boolean, trusted boolean, results jsonb) ON COMMIT DELETE ROWS`;
    let changed = 0;
    for (let i = 0; i < staged.length; i += CHUNK) {
      await tx.$executeRaw`TRUNCATE bulwark_posture_stage`;
      await tx.copyRows("bulwark_posture_stage", STAGE_COLUMNS, staged.slice(i, i + CHUNK));
      // jsonb compares by value, so a row is written only when something about it changed.
      changed += await tx.$executeRaw`
        UPDATE "Workload" w SET "pssLevel" = s.pss, "nonRoot" = s.non_root, "readOnlyRootFs" = s.read_only, "trustedImages" = s.trusted,
          "policyResults" = s.results, "evaluatedAt" = ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        FROM bulwark_posture_stage s
        WHERE w.id = s.id AND w."orgId" = ${orgId} AND (
          w."evaluatedAt" IS NULL OR w."pssLevel" IS DISTINCT FROM s.pss OR w."nonRoot" IS DISTINCT FROM s.non_root
          OR w."readOnlyRootFs" IS DISTINCT FROM s.read_only OR w."trustedImages" IS DISTINCT FROM s.trusted OR w."policyResults" IS DISTINCT FROM s.results)`;
      await tx.$executeRaw`
        UPDATE "Workload" w SET "evaluatedAt" = ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        FROM bulwark_posture_stage s
        WHERE w.id = s.id AND w."orgId" = ${orgId}
          AND w."evaluatedAt" < ${new Date(now.getTime() - EVALUATED_AT_REFRESH_MS).toISOString()}::timestamptz AT TIME ZONE 'UTC'`;
    }
    const stored = await storePolicyFindings(tx, orgId, opts.clusterId, findings, now);
    return { workloads, changed, policies: policySet.compiled.filter((p) => p.stages.includes("RUNTIME")).length, findings: stored, durationMs: Math.round(performance.now() - started) };
  });
  // After the commit, so the actions link the policy findings just stored (response/posture.ts).
  await requestPostureResponses(db, orgId, responses, now);
  return evaluated;
}
