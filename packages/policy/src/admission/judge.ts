import { decideAdmission, effectiveEnforcement } from "../engine/admission.ts";
import { evaluate } from "../engine/evaluate.ts";
import type { PolicyException } from "../engine/exceptions.ts";
import { toResource } from "../input/resource.ts";
import type { CompiledPolicy } from "../model/types.ts";
import type { EvaluationInput, EvaluationSettings, ImageFacts, JsonObject, Resource, Severity } from "../types.ts";
import { readBreakGlass } from "./break-glass.ts";
import { type AdmissionReviewRequest, type AdmissionReviewResponse, admissionResponse, type FailurePolicy, failureResponse, parseAdmissionReview } from "./review.ts";

// One admission decision, wherever it is taken: the central endpoint (packages/core, with the
// organization's image facts) and every enforcement point (apps/enforcer, from its signed bundle)
// turn an AdmissionReview request into an EvaluationInput, evaluate the DEPLOY-stage policies, decide
// by each policy's enforcement for the cluster, and describe the decision for storage the same way.

/** What a decision is judged with; all plain data, time included. */
export interface AdmissionContext {
  policies: readonly CompiledPolicy[];
  exceptions: readonly PolicyException[];
  /** The bundle's settings (allowed deployers in any shape: entries that are not {namespace, subjects} are skipped). */
  settings: { trustedRegistries: readonly string[]; allowedDeployers: readonly unknown[]; maxScanAgeHours: number };
  /** Image facts by reference as written; enforcement points have none (image policies then pass). */
  images?: Record<string, ImageFacts>;
  /** The cluster's name, for per-cluster enforcement and exceptions scoped to a cluster. */
  cluster?: string | null;
  /** Decision time, ISO 8601. */
  now: string;
  /** Honour break-glass annotations, allowing bypasses up to this many hours ahead (unset: not honoured). */
  breakGlass?: { maxHours: number };
}

export interface AdmissionRecordViolation {
  policy: string;
  severity: Severity;
  message: string;
  container?: string | undefined;
  path?: string | undefined;
  evidence?: string | undefined;
}

/** A decision as stored centrally and reported by enforcement points (see admissionDecisionBatchSchema). */
export interface AdmissionRecord {
  uid: string;
  namespace: string;
  kind: string;
  name: string;
  operation: AdmissionReviewRequest["operation"];
  allowed: boolean;
  /** WARN (or bypassed) policies failed: such decisions become findings. */
  warned: boolean;
  /** Ids of every policy that failed or errored, whatever its enforcement. */
  policies: string[];
  message: string | null;
  userInfo: { username: string; groups: string[]; uid?: string };
  decidedAt: string;
  dryRun: boolean;
  /** Violations of the denying and warning policies; they become findings. */
  violations: AdmissionRecordViolation[];
  /** Set when a break-glass annotation admitted what policies would have denied. */
  breakGlass?: { reason: string; expiresAt: string; policies: string[] };
}

export interface AdmissionJudgement {
  response: AdmissionReviewResponse;
  record: AdmissionRecord;
}

/** Bounds what one decision carries to storage: a hostile pod spec cannot make a report huge. Per policy as many as a finding keeps. */
const MAX_VIOLATIONS_PER_POLICY = 20;
const MAX_RECORD_VIOLATIONS = 500;
const MAX_VIOLATION_MESSAGE = 1000;
const MAX_MESSAGE = 1024;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The object judged: a DELETE carries the object being removed as oldObject; a CONNECT none at all. */
export function manifestOf(req: AdmissionReviewRequest): JsonObject {
  const object = req.operation === "DELETE" ? (req.oldObject ?? req.object) : (req.object ?? req.oldObject);
  if (object) return object;
  const apiVersion = req.kind.group ? `${req.kind.group}/${req.kind.version}` : req.kind.version;
  return { apiVersion, kind: req.kind.kind, metadata: { name: req.name ?? "", ...(req.namespace ? { namespace: req.namespace } : {}) } };
}

export function admissionResource(req: AdmissionReviewRequest): Resource {
  return toResource(manifestOf(req));
}

function isDeployerEntry(v: unknown): v is EvaluationSettings["allowedDeployers"][number] {
  if (typeof v !== "object" || v === null) return false;
  const e = v as { namespace?: unknown; subjects?: unknown };
  return typeof e.namespace === "string" && Array.isArray(e.subjects) && e.subjects.every((s) => typeof s === "string");
}

export function evaluationSettings(settings: AdmissionContext["settings"], now: string): EvaluationSettings {
  return {
    trustedRegistries: [...settings.trustedRegistries],
    allowedDeployers: settings.allowedDeployers.filter(isDeployerEntry),
    maxScanAgeHours: settings.maxScanAgeHours,
    now,
  };
}

function userInfoOf(req: AdmissionReviewRequest): AdmissionRecord["userInfo"] {
  return { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid !== undefined ? { uid: req.userInfo.uid } : {}) };
}

export function admissionInput(req: AdmissionReviewRequest, ctx: AdmissionContext, resource: Resource = admissionResource(req)): EvaluationInput {
  return {
    resource,
    images: ctx.images ?? {},
    request: {
      operation: req.operation,
      userInfo: userInfoOf(req),
      ...(req.namespace ? { namespace: req.namespace } : {}),
      ...(req.dryRun !== undefined ? { dryRun: req.dryRun } : {}),
    },
    ...(ctx.cluster ? { cluster: ctx.cluster } : {}),
    settings: evaluationSettings(ctx.settings, ctx.now),
  };
}

/** Judges one well-formed request: the AdmissionReview answer and the decision to record. */
export function judgeAdmission(req: AdmissionReviewRequest, ctx: AdmissionContext, resource: Resource = admissionResource(req)): AdmissionJudgement {
  const input = admissionInput(req, ctx, resource);
  const results = evaluate(ctx.policies, input, { stage: "DEPLOY", exceptions: ctx.exceptions });
  const decision = decideAdmission(results, ctx.policies, [], input);
  const byId = new Map(ctx.policies.map((p) => [p.id, p]));
  const violations: AdmissionRecordViolation[] = [];
  for (const r of results) {
    const policy = byId.get(r.policyId);
    if (r.status !== "fail" || !policy || effectiveEnforcement(policy, input.cluster) === "AUDIT") continue;
    for (const v of r.violations.slice(0, MAX_VIOLATIONS_PER_POLICY)) {
      if (violations.length >= MAX_RECORD_VIOLATIONS) break;
      violations.push({ policy: policy.id, severity: policy.severity, message: clip(v.message, MAX_VIOLATION_MESSAGE), container: v.container, path: v.path, evidence: v.evidence });
    }
  }

  let allowed = decision.allowed;
  let message = decision.message;
  const warnings = [...decision.warnings];
  let breakGlass: AdmissionRecord["breakGlass"];
  if (ctx.breakGlass) {
    const bg = readBreakGlass(resource.annotations, ctx.now, ctx.breakGlass.maxHours);
    if (bg.status === "ignored") {
      warnings.unshift(bg.warning);
      if (!allowed) message = clip(`${message}; ${bg.warning}`, MAX_MESSAGE);
    } else if (bg.status === "valid" && !allowed) {
      const bypassed = decision.denials.map((d) => d.policyId);
      breakGlass = { reason: bg.reason, expiresAt: bg.expiresAt, policies: bypassed };
      warnings.unshift(clip(`Bulwark break-glass until ${bg.expiresAt} bypassed ${bypassed.join(", ")} (reason: ${bg.reason})`, 256));
      message = clip(`break-glass bypassed: ${decision.message}`, MAX_MESSAGE);
      allowed = true;
    }
  }

  const warned = decision.warnings.length > 0 || breakGlass !== undefined;
  const record: AdmissionRecord = {
    uid: req.uid,
    namespace: req.namespace ?? resource.namespace ?? "",
    kind: req.kind.kind,
    name: req.name || resource.name,
    operation: req.operation,
    allowed,
    warned,
    policies: results.filter((r) => r.status !== "pass").map((r) => r.policyId),
    message: breakGlass ? message : allowed ? (decision.warnings.length > 0 ? clip(decision.warnings.join("; "), MAX_MESSAGE) : null) : message,
    userInfo: userInfoOf(req),
    decidedAt: ctx.now,
    dryRun: req.dryRun === true,
    violations,
    ...(breakGlass ? { breakGlass } : {}),
  };
  return { response: admissionResponse(req.uid, allowed, message, warnings), record };
}

export type ReviewJudgement = AdmissionJudgement | { response: AdmissionReviewResponse; record: null };

/**
 * A whole review body (JSON-parsed) judged with a context known in advance, as an enforcement point
 * does: a malformed review is answered by `failurePolicy` and records nothing.
 */
export function judgeAdmissionReview(body: unknown, ctx: AdmissionContext, failurePolicy: FailurePolicy): ReviewJudgement {
  const parsed = parseAdmissionReview(body);
  if (!parsed.ok) return { response: failureResponse(parsed.uid, failurePolicy, parsed.reason), record: null };
  return judgeAdmission(parsed.request, ctx);
}
