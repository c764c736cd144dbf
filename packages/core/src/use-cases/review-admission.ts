import { type Db } from "@bulwark/db";
import { type AdmissionRecord, admissionResource, type AdmissionReviewRequest, type AdmissionReviewResponse, type FailurePolicy, failureResponse, judgeAdmission, parseAdmissionReview, reviewUid } from "@bulwark/policy";
import { type OrgContext } from "../context.ts";
import { type AdmissionCluster, admissionNameSchema, policyInfo, requireEnforcementToken, resolveAdmissionClusters } from "../admission/context.ts";
import { loadImageFacts } from "../admission/image-facts.ts";
import { type DecisionToStore, storeAdmissionDecisions } from "../admission/store-decisions.ts";
import { readBundleSettings, readPolicyExceptions } from "../bundles/content.ts";
import { loadPolicySet } from "./load-policy-set.ts";
import { type AlertCandidate } from "../notifications/types.ts";

// The central admission webhook: a cluster's ValidatingWebhookConfiguration points at Bulwark, which
// judges each AdmissionReview with the organization's policy set, exceptions and image facts (the
// same inputs a bundle gives an enforcement point) and records the decision. The judging itself is
// @bulwark/policy's judgeAdmission, exactly what apps/enforcer runs; this use case only loads its
// inputs and stores its record. Whatever goes wrong after authentication, the API server gets a valid
// AdmissionReview back, allowed or denied by the webhook's failure policy, never a hang or a 5xx.
//
// Dry runs (kubectl --dry-run=server) are judged and answered like any request but not recorded:
// nothing is deployed, so they are neither decisions in the history nor findings.

export interface ReviewAdmissionOptions {
  /** `?cluster=NAME`, for tokens not bound to a cluster. */
  cluster?: string | undefined;
  failurePolicy?: FailurePolicy | undefined;
  now?: Date;
  log?: { error(obj: object, msg: string): void };
  /** New or reopened violation findings of a stored decision, for notifications (must not block: enqueue in the background). */
  onAlerts?: (alerts: AlertCandidate[]) => void;
}

async function judge(db: Db, orgId: string, req: AdmissionReviewRequest, cluster: AdmissionCluster, now: Date) {
  const resource = admissionResource(req);
  const [set, exceptions, settings, images] = await Promise.all([
    loadPolicySet(db, orgId),
    readPolicyExceptions(db, orgId, now),
    readBundleSettings(db, orgId),
    loadImageFacts(
      db,
      orgId,
      resource.containers.map((c) => c.image).filter((i) => i !== ""),
    ),
  ]);
  const judged = judgeAdmission(req, { policies: set.compiled, exceptions, settings, images, cluster: cluster.name, now: now.toISOString() }, resource);
  return { response: judged.response, stored: toStored(judged.record, cluster, now), info: policyInfo(set.compiled) };
}

function toStored(record: AdmissionRecord, cluster: AdmissionCluster, now: Date): DecisionToStore {
  return {
    uid: record.uid,
    enforcementPointId: null,
    clusterId: cluster.id,
    cluster: cluster.name,
    namespace: record.namespace,
    kind: record.kind,
    name: record.name,
    operation: record.operation,
    allowed: record.allowed,
    warned: record.warned,
    policies: record.policies,
    message: record.message,
    userInfo: record.userInfo,
    decidedAt: now,
    violations: record.violations,
  };
}

/**
 * Judges one AdmissionReview. Throws only for the caller's credentials (a token without the
 * `enforcement` scope, a cluster-bound token naming another cluster); every other problem is
 * answered as a review decided by `failurePolicy` (default Fail).
 */
export async function reviewAdmission(db: Db, ctx: OrgContext, review: unknown, opts: ReviewAdmissionOptions = {}): Promise<AdmissionReviewResponse> {
  requireEnforcementToken(ctx);
  const failurePolicy = opts.failurePolicy ?? "Fail";
  const uid = reviewUid(review);
  if (opts.cluster !== undefined && !admissionNameSchema.safeParse(opts.cluster).success) {
    return failureResponse(uid, failurePolicy, "the webhook URL's cluster parameter is not a valid cluster name");
  }
  const cluster = (await resolveAdmissionClusters(db, ctx, [opts.cluster])).get(opts.cluster) ?? { id: null, name: null };
  const parsed = parseAdmissionReview(review);
  if (!parsed.ok) return failureResponse(uid, failurePolicy, parsed.reason);
  const now = opts.now ?? new Date();
  let judged: Awaited<ReturnType<typeof judge>>;
  try {
    judged = await judge(db, ctx.orgId, parsed.request, cluster, now);
  } catch (err) {
    opts.log?.error({ err }, "admission review failed");
    return failureResponse(uid, failurePolicy, "an internal error occurred");
  }
  if (parsed.request.dryRun !== true) {
    try {
      const { alerts } = await storeAdmissionDecisions(db, ctx.orgId, [judged.stored], judged.info);
      if (alerts.length > 0) opts.onAlerts?.(alerts);
    } catch (err) {
      // The decision stands: failing to record it must not block or allow deployments.
      opts.log?.error({ err }, "admission decision could not be recorded");
    }
  }
  return judged.response;
}
