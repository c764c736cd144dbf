import { z } from "zod";

// Kubernetes AdmissionReview v1 (admission.k8s.io/v1), as the API server sends it to a validating
// webhook and expects it back. Only the fields Bulwark reads are declared; the rest pass through
// unread (loose objects), so a newer API server adding fields is never a parse error. The central
// endpoint (packages/core) and enforcement points (apps/enforcer) both read and answer reviews here.

export const ADMISSION_API_VERSION = "admission.k8s.io/v1";

export const ADMISSION_OPERATIONS = ["CREATE", "UPDATE", "DELETE", "CONNECT"] as const;

export const FAILURE_POLICIES = ["Ignore", "Fail"] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/** Kubernetes shows every warning to the user; a few short ones are read, dozens are not. */
export const MAX_WARNINGS = 20;
const MAX_WARNING_LENGTH = 256;

/** The API server takes objects up to 3 MiB; an UPDATE review carries the object twice. */
export const MAX_REVIEW_BYTES = 8 * 1024 * 1024;
/** Deeper than any real object (managedFields included); bounds what evaluation walks. */
export const MAX_REVIEW_DEPTH = 100;

const k8sObject = z.record(z.string(), z.unknown());

export const userInfoSchema = z.looseObject({
  username: z.string().max(1000).default(""),
  uid: z.string().max(1000).optional(),
  groups: z.array(z.string().max(1000)).max(1000).default([]),
});

export const admissionReviewSchema = z.looseObject({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal("AdmissionReview"),
  request: z.looseObject({
    uid: z.string().min(1).max(200),
    kind: z.looseObject({ group: z.string().max(253).default(""), version: z.string().max(100).default(""), kind: z.string().min(1).max(253) }),
    operation: z.enum(ADMISSION_OPERATIONS),
    namespace: z.string().max(253).optional(),
    name: z.string().max(253).optional(),
    object: k8sObject.nullable().optional(),
    oldObject: k8sObject.nullable().optional(),
    userInfo: userInfoSchema.default({ username: "", groups: [] }),
    dryRun: z.boolean().optional(),
  }),
});

export type AdmissionReview = z.infer<typeof admissionReviewSchema>;
export type AdmissionReviewRequest = AdmissionReview["request"];

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: "AdmissionReview";
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    warnings?: string[];
  };
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The request uid when one can be read at all, so even a review that fails to parse is answered for its request. */
export function reviewUid(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const request = (body as { request?: unknown }).request;
  if (typeof request !== "object" || request === null) return "";
  const uid = (request as { uid?: unknown }).uid;
  return typeof uid === "string" && uid.length <= 200 ? uid : "";
}

/** At most MAX_WARNINGS, each at most 256 characters; the last one says how many were left out. */
export function boundedWarnings(warnings: readonly string[]): string[] {
  const cut = (w: string) => clip(w, MAX_WARNING_LENGTH);
  if (warnings.length <= MAX_WARNINGS) return warnings.map(cut);
  const kept = warnings.slice(0, MAX_WARNINGS - 1).map(cut);
  return [...kept, `… and ${warnings.length - kept.length} more Bulwark warnings`];
}

export function admissionResponse(uid: string, allowed: boolean, message: string, warnings: readonly string[] = []): AdmissionReviewResponse {
  const bounded = boundedWarnings(warnings);
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: "AdmissionReview",
    response: {
      uid,
      allowed,
      ...(allowed ? {} : { status: { code: 403, message } }),
      ...(bounded.length > 0 ? { warnings: bounded } : {}),
    },
  };
}

/**
 * The answer when a review cannot be judged (unreadable body, wrong shape, Bulwark failing, no
 * policy bundle): always a valid AdmissionReview, allowed or denied by the webhook's failure policy,
 * as Kubernetes itself would treat a webhook error, but with a message the requester can act on.
 */
export function failureResponse(uid: string, failurePolicy: FailurePolicy, reason: string): AdmissionReviewResponse {
  const text = `Bulwark could not judge this request: ${reason}`.slice(0, 1000);
  return failurePolicy === "Ignore" ? admissionResponse(uid, true, "", [`${text} (allowed: failurePolicy=Ignore)`]) : admissionResponse(uid, false, `${text} (denied: failurePolicy=Fail)`);
}

export type ParsedReview = { ok: true; request: AdmissionReviewRequest } | { ok: false; uid: string; reason: string };

// The schema above is the contract; reading a review with it copies the request and walks it through
// zod's generic machinery, on every review an enforcement point answers (a few KB of garbage each).
// Reviews as the API server sends them take this direct path instead: it checks the same rules and
// builds the same request zod would (same keys in the same order, same defaults, the object copied
// one level as z.record does); anything it does not recognize at once, malformed reviews among them,
// goes to zod, so errors keep zod's wording. review.test.ts checks both paths agree.

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const REQUEST_KEYS = new Set(["uid", "kind", "operation", "namespace", "name", "object", "oldObject", "userInfo", "dryRun"]);
const KIND_KEYS = new Set(["group", "version", "kind"]);
const USER_INFO_KEYS = new Set(["username", "uid", "groups"]);
const OPERATIONS: ReadonlySet<unknown> = new Set(ADMISSION_OPERATIONS);

const maxString = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;
const optionalString = (v: unknown, max: number) => v === undefined || maxString(v, max);
/** `.default(value)`: only undefined is replaced (null stays, and fails). */
const orDefault = (v: unknown, value: unknown) => (v === undefined ? value : v);

/** zod's isPlainObject, the test z.record applies. */
function isPlain(o: Record<string, unknown>): boolean {
  const ctor = o.constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const prot: unknown = ctor.prototype;
  return isObj(prot) && Object.prototype.hasOwnProperty.call(prot, "isPrototypeOf");
}

/** Unknown keys, as a loose object passes them through (`__proto__` never copied). */
function copyRest(from: Record<string, unknown>, to: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key in from) if (!known.has(key) && key !== "__proto__") to[key] = from[key];
}

/** z.record(z.string(), z.unknown()).nullable().optional(): undefined when it needs zod's verdict. */
function k8sObjectOf(v: unknown): Record<string, unknown> | null | undefined | false {
  if (v === undefined || v === null) return v;
  if (!isObj(v) || !isPlain(v) || Object.getOwnPropertySymbols(v).length > 0) return false;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) if (key !== "__proto__") out[key] = v[key];
  return out;
}

function directRequest(body: unknown): AdmissionReviewRequest | undefined {
  if (!isObj(body) || body["apiVersion"] !== ADMISSION_API_VERSION || body["kind"] !== "AdmissionReview") return undefined;
  const r = body["request"];
  if (!isObj(r)) return undefined;
  const uid = r["uid"];
  const kind = r["kind"];
  const operation = r["operation"];
  if (typeof uid !== "string" || uid.length < 1 || uid.length > 200 || !isObj(kind) || !OPERATIONS.has(operation)) return undefined;
  const group = orDefault(kind["group"], "");
  const version = orDefault(kind["version"], "");
  const kindName = kind["kind"];
  if (!maxString(group, 253) || !maxString(version, 100) || typeof kindName !== "string" || kindName.length < 1 || kindName.length > 253) return undefined;
  if (!optionalString(r["namespace"], 253) || !optionalString(r["name"], 253) || (r["dryRun"] !== undefined && typeof r["dryRun"] !== "boolean")) return undefined;
  const object = k8sObjectOf(r["object"]);
  const oldObject = k8sObjectOf(r["oldObject"]);
  if (object === false || oldObject === false) return undefined;
  const ui = r["userInfo"];
  let userInfo: Record<string, unknown>;
  if (ui === undefined) {
    userInfo = { username: "", groups: [] };
  } else {
    if (!isObj(ui)) return undefined;
    const username = orDefault(ui["username"], "");
    const groups = orDefault(ui["groups"], []);
    if (!maxString(username, 1000) || !optionalString(ui["uid"], 1000) || !Array.isArray(groups) || groups.length > 1000) return undefined;
    for (const g of groups as unknown[]) if (!maxString(g, 1000)) return undefined;
    userInfo = { username };
    if ("uid" in ui) userInfo["uid"] = ui["uid"];
    userInfo["groups"] = [...(groups as string[])];
    copyRest(ui, userInfo, USER_INFO_KEYS);
  }
  const kindOut: Record<string, unknown> = { group, version, kind: kindName };
  copyRest(kind, kindOut, KIND_KEYS);
  const out: Record<string, unknown> = { uid, kind: kindOut, operation };
  if ("namespace" in r) out["namespace"] = r["namespace"];
  if ("name" in r) out["name"] = r["name"];
  if ("object" in r) out["object"] = object;
  if ("oldObject" in r) out["oldObject"] = oldObject;
  out["userInfo"] = userInfo;
  if ("dryRun" in r) out["dryRun"] = r["dryRun"];
  copyRest(r, out, REQUEST_KEYS);
  return out as AdmissionReviewRequest;
}

/** A review body (already JSON-parsed) as a request, or why it cannot be judged (for failureResponse). */
export function parseAdmissionReview(body: unknown): ParsedReview {
  const request = directRequest(body);
  if (request) return { ok: true, request };
  const parsed = admissionReviewSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data.request };
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "invalid";
  return { ok: false, uid: reviewUid(body), reason: `the AdmissionReview is malformed (${clip(where, 300)}); send admission.k8s.io/v1` };
}

/**
 * Whether a JSON value nests deeper than `maxDepth` objects/arrays. Recursion stops at `maxDepth`,
 * so hostile depth cannot overflow the stack; it runs on every review, so it allocates nothing.
 */
export function exceedsDepth(value: unknown, maxDepth: number = MAX_REVIEW_DEPTH): boolean {
  const deeper = (v: object, depth: number): boolean => {
    if (depth >= maxDepth) return true;
    if (Array.isArray(v)) {
      for (const child of v) if (typeof child === "object" && child !== null && deeper(child, depth + 1)) return true;
    } else {
      for (const key in v) {
        const child = (v as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null && deeper(child, depth + 1)) return true;
      }
    }
    return false;
  };
  return typeof value === "object" && value !== null && deeper(value, 0);
}
