import { decideAdmission, effectiveEnforcement, policiesById } from "../engine/admission.ts";
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

interface SettingsLists {
  trustedSource: readonly string[];
  trustedRegistries: string[];
  deployersSource: readonly unknown[];
  deployersSeen: readonly unknown[];
  allowedDeployers: EvaluationSettings["allowedDeployers"];
}

// An enforcement point judges every review with the same bundle settings: their lists are copied and
// filtered once and shared by every request while the settings hold the same entries (checked by
// identity on each use, no garbage). Shared lists also let the registry built-in reuse its compiled
// allow-list, which it caches by array identity.
const settingsLists = new WeakMap<AdmissionContext["settings"], SettingsLists>();

const sameItems = (a: readonly unknown[], b: readonly unknown[]) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Whether `filtered` is still exactly the deployer entries of `source` (entries are re-checked: plain data may change). */
function sameDeployers(source: readonly unknown[], filtered: readonly unknown[]): boolean {
  let j = 0;
  for (const entry of source) if (isDeployerEntry(entry) && filtered[j++] !== entry) return false;
  return j === filtered.length;
}

function listsOf(settings: AdmissionContext["settings"]): SettingsLists {
  const { trustedRegistries, allowedDeployers } = settings;
  const cached = settingsLists.get(settings);
  if (
    cached &&
    cached.trustedSource === trustedRegistries &&
    sameItems(trustedRegistries, cached.trustedRegistries) &&
    cached.deployersSource === allowedDeployers &&
    sameItems(allowedDeployers, cached.deployersSeen) &&
    sameDeployers(allowedDeployers, cached.allowedDeployers)
  ) {
    return cached;
  }
  const lists: SettingsLists = {
    trustedSource: trustedRegistries,
    trustedRegistries: [...trustedRegistries],
    deployersSource: allowedDeployers,
    deployersSeen: [...allowedDeployers],
    allowedDeployers: allowedDeployers.filter(isDeployerEntry),
  };
  settingsLists.set(settings, lists);
  return lists;
}

export function evaluationSettings(settings: AdmissionContext["settings"], now: string): EvaluationSettings {
  const lists = listsOf(settings);
  return {
    trustedRegistries: lists.trustedRegistries,
    allowedDeployers: lists.allowedDeployers,
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
  const byId = policiesById(ctx.policies);
  const violations: AdmissionRecordViolation[] = [];
  const failed: string[] = [];
  for (const r of results) {
    if (r.status !== "pass") failed.push(r.policyId);
    const policy = byId.get(r.policyId);
    if (r.status !== "fail" || !policy || effectiveEnforcement(policy, input.cluster) === "AUDIT") continue;
    const kept = Math.min(r.violations.length, MAX_VIOLATIONS_PER_POLICY);
    for (let i = 0; i < kept; i++) {
      if (violations.length >= MAX_RECORD_VIOLATIONS) break;
      const v = r.violations[i]!;
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
    policies: failed,
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
