import { isObject } from "../input/path.ts";
import type { AdmissionRequestInfo, BuiltinPolicy, EvaluationInput, EvaluationSettings, JsonObject, Violation } from "../types.ts";
import { arrayIn, objectIn } from "./util.ts";

// Unauthorized container deployment (T1610): at an enforcement point, who creates or updates a workload
// must be an allowed deployer for its namespace. Without an admission request (inventory, CI) or
// without configured deployers there is nothing to judge.

/**
 * Control-plane identities that create pods for controllers (ReplicaSet → Pod, CronJob → Job, …). The
 * owning controller was itself admitted under this policy, so its children are attributed to it.
 */
const CONTROLLER_USERS = new Set([
  "system:kube-controller-manager",
  "system:serviceaccount:kube-system:replicaset-controller",
  "system:serviceaccount:kube-system:replication-controller",
  "system:serviceaccount:kube-system:deployment-controller",
  "system:serviceaccount:kube-system:statefulset-controller",
  "system:serviceaccount:kube-system:daemon-set-controller",
  "system:serviceaccount:kube-system:job-controller",
  "system:serviceaccount:kube-system:cronjob-controller",
]);

/** Created by a controller: the object has an ownerReference with `controller: true`. */
function hasControllerOwner(object: JsonObject): boolean {
  const owners = arrayIn(objectIn(object, "metadata"), "ownerReferences");
  if (owners === undefined) return false;
  for (const o of owners) if (isObject(o) && o["controller"] === true) return true;
  return false;
}

/** Whether the requester (by username, or by any group as `group:<name>`) may deploy into `namespace`. */
export function isAllowedDeployer(settings: EvaluationSettings, request: AdmissionRequestInfo, namespace: string): boolean {
  const user = request.userInfo?.username ?? "";
  const groups = request.userInfo?.groups ?? [];
  for (const entry of settings.allowedDeployers) {
    if (entry.namespace !== "*" && entry.namespace !== namespace) continue;
    for (const subject of entry.subjects) {
      if (subject.startsWith("group:")) {
        // subject === `group:${g}` without building the string for every group.
        for (const g of groups) if (subject.length === g.length + 6 && subject.endsWith(g)) return true;
      } else if (subject === user && user !== "") {
        return true;
      }
    }
  }
  return false;
}

export const unauthorizedDeployer: BuiltinPolicy = {
  id: "unauthorized-deployer",
  name: "Only allowed deployers",
  description:
    "At admission, workloads may only be created or updated by users, service accounts (`system:serviceaccount:<ns>:<name>`) or groups (`group:<name>`) allowed for the namespace (`*` for every namespace). Without configured deployers the policy is off.",
  rationale:
    "Deploying a container with stolen or over-broad credentials is how intruders run their own code in a cluster; restricting deployers to the CD pipeline and a few operators makes that visible and blockable.",
  remediation: "Deploy through the approved pipeline identity, or add the subject to Settings → Allowed deployers for this namespace.",
  severity: "HIGH",
  category: "Access control",
  stages: ["DEPLOY"],
  enforcement: "ENFORCE",
  mitre: ["T1610", "T1078"],
  threats: ["unauthorized-deployment"],
  check({ resource, request, settings }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (request === undefined || resource.podSpec === undefined) return out;
    // Deleting or connecting to a workload deploys nothing (exec/attach is another technique, T1609).
    if (request.operation !== "CREATE" && request.operation !== "UPDATE") return out;
    const deployers = settings.allowedDeployers;
    if (deployers === undefined || deployers.length === 0) return out;
    const user = request.userInfo?.username ?? "";
    if (CONTROLLER_USERS.has(user) && hasControllerOwner(resource.object)) return out;
    const namespace = request.namespace ?? resource.namespace ?? "";
    if (isAllowedDeployer(settings, request, namespace)) return out;
    const groups = request.userInfo?.groups ?? [];
    out.push({
      message: `${user === "" ? "An anonymous requester" : `"${user}"`} is not an allowed deployer for namespace "${namespace}"`,
      evidence: `user: ${user === "" ? "(none)" : user}, groups: ${groups.length === 0 ? "(none)" : groups.join(", ")}, namespace: ${namespace}, operation: ${request.operation}`,
    });
    return out;
  },
};
