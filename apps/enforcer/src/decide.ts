import { admissionResource, type AdmissionRecord, admissionResponse, type AdmissionReviewResponse, type FailurePolicy, failureResponse, judgeAdmission, parseAdmissionReview } from "@bulwark/policy";
import { type BundleHolder } from "./bundle-state.ts";

// One review, judged locally from the bundle in force with @bulwark/policy's judgeAdmission (the very
// function central's admission endpoint runs), with no network in the request path. Image facts
// (scan results, signatures, malware verdicts) live centrally and are not in bundles: image policies
// see no facts here and pass, as they do for images central has never seen.
//
// Without any bundle (first start with central unreachable and nothing on disk) the failure policy
// decides: Fail denies, Ignore allows; either way the decision is recorded with the reason.

export type Outcome = "allowed" | "warned" | "denied" | "break-glass" | "no-bundle" | "terminating" | "malformed" | "error";

export interface Decision {
  response: AdmissionReviewResponse;
  /** What to report to central; null when the review could not be read at all. */
  record: AdmissionRecord | null;
  outcome: Outcome;
}

export interface DeciderOptions {
  holder: BundleHolder;
  failurePolicy: FailurePolicy;
  cluster: string;
  /** 0: break-glass annotations are not honoured. */
  breakGlassMaxHours: number;
}

function isTerminating(object: Record<string, unknown> | null | undefined): boolean {
  const metadata = object?.["metadata"];
  return typeof metadata === "object" && metadata !== null && typeof (metadata as { deletionTimestamp?: unknown }).deletionTimestamp === "string";
}

export const NO_BUNDLE_REASON = "this enforcement point has no verified policy bundle yet (central unreachable since it started and none stored)";

export class Decider {
  constructor(private readonly opts: DeciderOptions) {}

  get failurePolicy(): FailurePolicy {
    return this.opts.failurePolicy;
  }

  /** The answer for a review that cannot be judged (unreadable body, …), by the failure policy. */
  failure(uid: string, reason: string): Decision {
    return { response: failureResponse(uid, this.opts.failurePolicy, reason), record: null, outcome: "malformed" };
  }

  decide(body: unknown, now: Date): Decision {
    const parsed = parseAdmissionReview(body);
    if (!parsed.ok) return this.failure(parsed.uid, parsed.reason);
    const req = parsed.request;
    // An object being deleted is only updated to finish that (finalizers removed); denying it would
    // leave it stuck in Terminating, and nothing new is deployed.
    if (req.operation === "UPDATE" && isTerminating(req.object)) return { response: admissionResponse(req.uid, true, ""), record: null, outcome: "terminating" };
    const active = this.opts.holder.active;
    try {
      const resource = admissionResource(req);
      if (!active) {
        const response = failureResponse(req.uid, this.opts.failurePolicy, NO_BUNDLE_REASON);
        const allowed = response.response.allowed;
        const record: AdmissionRecord = {
          uid: req.uid,
          namespace: req.namespace ?? resource.namespace ?? "",
          kind: req.kind.kind,
          name: req.name || resource.name,
          operation: req.operation,
          allowed,
          warned: false,
          policies: [],
          message: `no policy bundle: ${allowed ? "allowed" : "denied"} by failurePolicy=${this.opts.failurePolicy}`,
          userInfo: { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid !== undefined ? { uid: req.userInfo.uid } : {}) },
          decidedAt: now.toISOString(),
          dryRun: req.dryRun === true,
          violations: [],
        };
        return { response, record, outcome: "no-bundle" };
      }
      const judged = judgeAdmission(
        req,
        {
          policies: active.policies,
          exceptions: active.exceptions,
          settings: active.settings,
          cluster: this.opts.cluster,
          now: now.toISOString(),
          ...(this.opts.breakGlassMaxHours > 0 ? { breakGlass: { maxHours: this.opts.breakGlassMaxHours } } : {}),
        },
        resource,
      );
      const r = judged.record;
      const outcome: Outcome = r.breakGlass ? "break-glass" : !r.allowed ? "denied" : r.warned ? "warned" : "allowed";
      return { response: judged.response, record: r, outcome };
    } catch {
      // The engine turns a failing check into an error result; reaching here is a bug, answered by policy.
      return { response: failureResponse(req.uid, this.opts.failurePolicy, "an internal error occurred"), record: null, outcome: "error" };
    }
  }
}
