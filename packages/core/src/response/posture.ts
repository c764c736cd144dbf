import { type Db } from "@bulwark/db";
import { type CompiledPolicy } from "@bulwark/policy";
import { POLICY_FINDING_SOURCE } from "../posture/policy-findings.ts";
import { type CreatedActions, createResponseActions } from "./create-actions.ts";
import { activeResponse, clip, postureTarget, type ResponseRequest } from "./targets.ts";

// Posture evaluation (posture/evaluate-workloads.ts) hands over the running workloads that fail a
// policy with a response (after approved exceptions: a waived violation is not a failure); those whose
// policy is ENFORCE in their cluster get the action, linked to the policy's finding for the workload.

export interface PostureResponseCandidate {
  workload: { id: string; clusterId: string; cluster: string; namespace: string; kind: string; name: string };
  policy: CompiledPolicy;
  /** The first violation, for the action's reason. */
  message?: string | undefined;
}

/** True when the evaluation should hand this failing policy over (cheap; called per failing result). */
export function hasResponse(policy: CompiledPolicy): boolean {
  return policy.definition.response !== undefined;
}

export async function requestPostureResponses(db: Db, orgId: string, candidates: readonly PostureResponseCandidate[], now = new Date()): Promise<CreatedActions> {
  const acting = candidates.filter((c) => {
    const response = activeResponse(c.policy, c.workload.cluster);
    return response !== undefined && postureTarget(response.action, c.workload) !== null;
  });
  if (acting.length === 0) return { created: [], duplicates: 0, deferred: 0 };
  const workloadIds = [...new Set(acting.map((c) => c.workload.id))];
  const [replicas, findings] = await Promise.all([
    db.workload.findMany({ where: { orgId, id: { in: workloadIds } }, select: { id: true, replicas: true } }),
    db.finding.findMany({
      where: { orgId, workloadId: { in: workloadIds }, source: POLICY_FINDING_SOURCE, ruleId: { in: [...new Set(acting.map((c) => c.policy.id))] }, status: "OPEN" },
      select: { id: true, workloadId: true, ruleId: true },
    }),
  ]);
  const replicasOf = new Map(replicas.map((w) => [w.id, w.replicas]));
  const findingOf = new Map(findings.map((f) => [`${f.workloadId}\u001f${f.ruleId}`, f.id]));
  const requests: ResponseRequest[] = [];
  for (const { workload: w, policy, message } of acting) {
    const target = postureTarget(policy.definition.response!.action, { ...w, replicas: replicasOf.get(w.id) ?? null });
    if (!target) continue;
    requests.push({
      ...target,
      clusterId: w.clusterId,
      policyKey: policy.id,
      namespace: w.namespace,
      workloadId: w.id,
      findingId: findingOf.get(`${w.id}\u001f${policy.id}`) ?? null,
      reason: clip(`${w.kind} ${w.namespace}/${w.name} fails policy ${policy.id}${message ? `: ${message}` : ""}`),
    });
  }
  return createResponseActions(db, orgId, requests, now);
}
