import { type ResponseAction } from "@bulwark/db";
import { type CompiledPolicy, effectiveEnforcement, type PolicyResponse } from "@bulwark/policy";

// What a policy's runtime response asks for, decided without the database: whether the policy acts
// in a cluster at all (its effective enforcement there is ENFORCE), and which Kubernetes object the
// action targets. An action that cannot apply to the object is never requested (no row, nothing to
// skip later): the enforcer only ever receives actions it can carry out.

/** Controllers whose scale subresource the enforcer patches (apps/v1). */
export const SCALABLE_KINDS: ReadonlySet<string> = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);

/** One action to request; the same target (policy, cluster, namespace, kind, name, pod) is requested once. */
export interface ResponseRequest {
  clusterId: string;
  policyKey: string;
  action: ResponseAction;
  namespace: string;
  kind: string;
  name: string;
  /** The pod to delete (DELETE_POD), else null. */
  pod: string | null;
  workloadId: string | null;
  findingId: string | null;
  reason: string;
}

export type ResponseTarget = Pick<ResponseRequest, "action" | "kind" | "name" | "pod">;

const REASON_MAX = 1000;
export const clip = (s: string, max = REASON_MAX) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The policy's response when it acts in `cluster` (enabled, ENFORCE there), else undefined. */
export function activeResponse(policy: Pick<CompiledPolicy, "enforcement" | "definition" | "disabled">, cluster: string): PolicyResponse | undefined {
  const response = policy.definition.response;
  if (!response || policy.disabled) return undefined;
  return effectiveEnforcement(policy, cluster) === "ENFORCE" ? response : undefined;
}

/**
 * A workload failing the policy in posture evaluation: DELETE_POD deletes a bare Pod (a controller's
 * pods would only be recreated, and inventory does not name them), SCALE_TO_ZERO scales a Deployment,
 * StatefulSet or ReplicaSet that still has replicas. Anything else: null.
 */
export function postureTarget(action: ResponseAction, workload: { kind: string; name: string; replicas?: number | null }): ResponseTarget | null {
  if (action === "DELETE_POD") return workload.kind === "Pod" ? { action, kind: "Pod", name: workload.name, pod: workload.name } : null;
  if (!SCALABLE_KINDS.has(workload.kind) || workload.replicas === 0) return null;
  return { action, kind: workload.kind, name: workload.name, pod: null };
}

/**
 * A runtime event in `pod` of the workload: DELETE_POD deletes that pod, SCALE_TO_ZERO scales the
 * workload when it is scalable. Null when the action has nothing to act on.
 */
export function runtimeTarget(action: ResponseAction, workload: { kind: string; name: string; replicas?: number | null }, pod: string | null): ResponseTarget | null {
  if (action === "DELETE_POD") return pod ? { action, kind: workload.kind, name: workload.name, pod } : null;
  return postureTarget(action, workload);
}

/** Identity of a target for de-duplication (the columns the enforcer acts on plus the asking policy). */
export function targetKey(r: Pick<ResponseRequest, "policyKey" | "clusterId" | "namespace" | "kind" | "name" | "pod">): string {
  return [r.policyKey, r.clusterId, r.namespace, r.kind, r.name, r.pod ?? ""].join("\u001f");
}
