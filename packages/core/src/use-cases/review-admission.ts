import { type Db } from "@bulwark/db";
import { decideAdmission, evaluate, type EvaluationInput, type JsonObject, toResource } from "@bulwark/policy";
import { type OrgContext } from "../context.ts";
import { type AdmissionCluster, admissionNameSchema, policyInfo, requireEnforcementToken, resolveAdmissionClusters } from "../admission/context.ts";
import { loadImageFacts } from "../admission/image-facts.ts";
import { admissionResponse, type AdmissionReviewRequest, type AdmissionReviewResponse, admissionReviewSchema, type FailurePolicy, failureResponse, reviewUid } from "../admission/review.ts";
import { type AdmissionViolation, type DecisionToStore, storeAdmissionDecisions } from "../admission/store-decisions.ts";
import { readBundleSettings, readPolicyExceptions } from "../bundles/content.ts";
import { loadPolicySet } from "./load-policy-set.ts";

// The central admission webhook: a cluster's ValidatingWebhookConfiguration points at Bulwark, which
// judges each AdmissionReview with the organization's policy set, exceptions and image facts (the
// same inputs a bundle gives an enforcement point) and records the decision. Whatever goes wrong
// after authentication, the API server gets a valid AdmissionReview back, allowed or denied by the
// webhook's failure policy, never a hang or a 5xx.
//
// Dry runs (kubectl --dry-run=server) are judged and answered like any request but not recorded:
// nothing is deployed, so they are neither decisions in the history nor findings.

export interface ReviewAdmissionOptions {
  /** `?cluster=NAME`, for tokens not bound to a cluster. */
  cluster?: string | undefined;
  failurePolicy?: FailurePolicy | undefined;
  now?: Date;
  log?: { error(obj: object, msg: string): void };
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function manifestOf(req: AdmissionReviewRequest): JsonObject {
  // A DELETE carries the object being removed as oldObject.
  const object = req.operation === "DELETE" ? (req.oldObject ?? req.object) : (req.object ?? req.oldObject);
  if (object) return object;
  const apiVersion = req.kind.group ? `${req.kind.group}/${req.kind.version}` : req.kind.version;
  return { apiVersion, kind: req.kind.kind, metadata: { name: req.name ?? "", ...(req.namespace ? { namespace: req.namespace } : {}) } };
}

async function judge(db: Db, orgId: string, req: AdmissionReviewRequest, cluster: AdmissionCluster, now: Date) {
  const resource = toResource(manifestOf(req));
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
  const input: EvaluationInput = {
    resource,
    images,
    request: {
      operation: req.operation,
      userInfo: { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid !== undefined ? { uid: req.userInfo.uid } : {}) },
      ...(req.namespace ? { namespace: req.namespace } : {}),
      ...(req.dryRun !== undefined ? { dryRun: req.dryRun } : {}),
    },
    ...(cluster.name ? { cluster: cluster.name } : {}),
    // Allowed deployers have no storage yet: bundles carry [] and so does the central webhook.
    settings: { trustedRegistries: settings.trustedRegistries, allowedDeployers: [], maxScanAgeHours: settings.maxScanAgeHours, now: now.toISOString() },
  };
  const results = evaluate(set.compiled, input, { stage: "DEPLOY", exceptions });
  const decision = decideAdmission(results, set.compiled);
  const byId = new Map(set.compiled.map((p) => [p.id, p]));
  const violations: AdmissionViolation[] = [];
  for (const r of results) {
    const policy = byId.get(r.policyId);
    if (r.status !== "fail" || !policy || policy.enforcement === "AUDIT") continue;
    for (const v of r.violations) violations.push({ policy: policy.id, severity: policy.severity, message: v.message, container: v.container, path: v.path, evidence: v.evidence });
  }
  const warned = decision.warnings.length > 0;
  const stored: DecisionToStore = {
    uid: req.uid,
    enforcementPointId: null,
    clusterId: cluster.id,
    cluster: cluster.name,
    namespace: req.namespace ?? resource.namespace ?? "",
    kind: req.kind.kind,
    name: req.name || resource.name,
    operation: req.operation,
    allowed: decision.allowed,
    warned,
    policies: results.filter((r) => r.status !== "pass").map((r) => r.policyId),
    message: decision.allowed ? (warned ? clip(decision.warnings.join("; "), 1024) : null) : decision.message,
    userInfo: { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid !== undefined ? { uid: req.userInfo.uid } : {}) },
    decidedAt: now,
    violations,
  };
  return { response: admissionResponse(req.uid, decision.allowed, decision.message, decision.warnings), stored, info: policyInfo(set.compiled) };
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
  const parsed = admissionReviewSchema.safeParse(review);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "invalid";
    return failureResponse(uid, failurePolicy, `the AdmissionReview is malformed (${clip(where, 300)}); send admission.k8s.io/v1`);
  }
  const now = opts.now ?? new Date();
  let judged: Awaited<ReturnType<typeof judge>>;
  try {
    judged = await judge(db, ctx.orgId, parsed.data.request, cluster, now);
  } catch (err) {
    opts.log?.error({ err }, "admission review failed");
    return failureResponse(uid, failurePolicy, "an internal error occurred");
  }
  if (parsed.data.request.dryRun !== true) {
    try {
      await storeAdmissionDecisions(db, ctx.orgId, [judged.stored], judged.info);
    } catch (err) {
      // The decision stands: failing to record it must not block or allow deployments.
      opts.log?.error({ err }, "admission decision could not be recorded");
    }
  }
  return judged.response;
}
