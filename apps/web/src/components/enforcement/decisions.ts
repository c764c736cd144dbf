// Decision browser filters (URL <-> filters <-> use case query) and the row shape the table renders.
// Kept pure so the page, the table and the tests agree on one definition.

export const DECISION_RESULTS = ["allowed", "warned", "denied"] as const;
export type DecisionResultFilter = (typeof DECISION_RESULTS)[number];

export const DECISIONS_PAGE_SIZE = 50;

export interface DecisionFilters {
  cluster?: string;
  namespace?: string;
  result?: DecisionResultFilter;
  policy?: string;
  breakGlass?: true;
}

export interface DecisionQuery {
  cluster?: string;
  namespace?: string;
  policy?: string;
  allowed?: "true" | "false";
  warned?: "true" | "false";
  breakGlass?: "true";
  cursor?: string;
  limit: number;
}

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function param(sp: SearchParams, key: string): string | undefined {
  const raw = sp instanceof URLSearchParams ? (sp.get(key) ?? undefined) : sp[key];
  const v = Array.isArray(raw) ? raw[0] : raw;
  const t = v?.trim();
  return t ? t : undefined;
}

function bounded(v: string | undefined, max: number): string | undefined {
  return v !== undefined && v.length <= max ? v : undefined;
}

/** Reads the filters from the URL; values the API would refuse are dropped rather than failing the page. */
export function parseDecisionFilters(sp: SearchParams): { filters: DecisionFilters; cursor?: string } {
  const filters: DecisionFilters = {};
  const cluster = bounded(param(sp, "cluster"), 253);
  const namespace = bounded(param(sp, "namespace"), 253);
  const policy = bounded(param(sp, "policy"), 100);
  const result = param(sp, "result");
  const breakGlass = param(sp, "breakGlass");
  if (cluster) filters.cluster = cluster;
  if (namespace) filters.namespace = namespace;
  if (policy) filters.policy = policy;
  if (result && (DECISION_RESULTS as readonly string[]).includes(result)) filters.result = result as DecisionResultFilter;
  if (breakGlass === "1" || breakGlass === "true" || breakGlass === "on") filters.breakGlass = true;
  const cursor = bounded(param(sp, "cursor"), 100);
  return cursor ? { filters, cursor } : { filters };
}

/** The query string for a filter set (and optional cursor), in a fixed order so links are stable. */
export function decisionFiltersToSearch(filters: DecisionFilters, cursor?: string): string {
  const sp = new URLSearchParams();
  if (filters.cluster) sp.set("cluster", filters.cluster);
  if (filters.namespace) sp.set("namespace", filters.namespace);
  if (filters.result) sp.set("result", filters.result);
  if (filters.policy) sp.set("policy", filters.policy);
  if (filters.breakGlass) sp.set("breakGlass", "1");
  if (cursor) sp.set("cursor", cursor);
  const s = sp.toString();
  return s ? `?${s}` : "";
}

export function hasDecisionFilters(filters: DecisionFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined);
}

/**
 * Input for listAdmissionDecisions. "Allowed" means admitted without warnings, "warned" admitted
 * with warnings, "denied" refused; break-glass narrows to admissions let in by a bypass.
 */
export function decisionQuery(filters: DecisionFilters, cursor?: string, limit = DECISIONS_PAGE_SIZE): DecisionQuery {
  const q: DecisionQuery = { limit };
  if (filters.cluster) q.cluster = filters.cluster;
  if (filters.namespace) q.namespace = filters.namespace;
  if (filters.policy) q.policy = filters.policy;
  if (filters.result === "allowed") Object.assign(q, { allowed: "true", warned: "false" });
  if (filters.result === "warned") Object.assign(q, { allowed: "true", warned: "true" });
  if (filters.result === "denied") q.allowed = "false";
  if (filters.breakGlass) q.breakGlass = "true";
  if (cursor) q.cursor = cursor;
  return q;
}

export interface BreakGlass {
  reason: string;
  expiresAt: string | null;
  policies: string[];
}

export type DecisionResult = "allowed" | "warned" | "denied" | "break-glass";

export interface DecisionRow {
  id: string;
  uid: string | null;
  decidedAt: string;
  receivedAt: string;
  cluster: string | null;
  enforcementPoint: string | null;
  namespace: string;
  kind: string;
  name: string;
  operation: string;
  allowed: boolean;
  warned: boolean;
  policies: string[];
  message: string | null;
  username: string | null;
  groups: string[];
  breakGlass: BreakGlass | null;
  result: DecisionResult;
}

/** The stored JSON column, checked field by field: rows written by older enforcers may lack parts. */
export function parseBreakGlass(value: unknown): BreakGlass | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const reason = typeof v.reason === "string" ? v.reason : "";
  const expiresAt = typeof v.expiresAt === "string" ? v.expiresAt : v.expiresAt instanceof Date ? v.expiresAt.toISOString() : null;
  const policies = Array.isArray(v.policies) ? v.policies.filter((p): p is string => typeof p === "string") : [];
  return { reason, expiresAt, policies };
}

function userInfoOf(value: unknown): { username: string | null; groups: string[] } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return { username: null, groups: [] };
  const v = value as Record<string, unknown>;
  return {
    username: typeof v.username === "string" && v.username !== "" ? v.username : null,
    groups: Array.isArray(v.groups) ? v.groups.filter((g): g is string => typeof g === "string") : [],
  };
}

const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/** `system:serviceaccount:argocd:controller` reads `sa argocd/controller` in narrow cells; the full name goes in a title. */
export function shortUser(username: string): string {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return username;
  const rest = username.slice(SERVICE_ACCOUNT_PREFIX.length);
  const i = rest.indexOf(":");
  return i > 0 ? `sa ${rest.slice(0, i)}/${rest.slice(i + 1)}` : username;
}

/** A bypass outranks the verdict it changed; a denial outranks warnings on the same request. */
export function decisionResult(d: { allowed: boolean; warned: boolean; breakGlass: BreakGlass | null }): DecisionResult {
  if (d.breakGlass) return "break-glass";
  if (!d.allowed) return "denied";
  if (d.warned) return "warned";
  return "allowed";
}

export const RESULT_LABELS: Record<DecisionResult, string> = { allowed: "Allowed", warned: "Warned", denied: "Denied", "break-glass": "Break-glass" };

export interface StoredDecision {
  id: string;
  uid: string | null;
  decidedAt: Date;
  receivedAt: Date;
  cluster: { name: string } | null;
  enforcementPoint: { name: string } | null;
  namespace: string;
  kind: string;
  name: string;
  operation: string;
  allowed: boolean;
  warned: boolean;
  policies: string[];
  message: string | null;
  userInfo: unknown;
  breakGlass: unknown;
}

export function toDecisionRow(d: StoredDecision): DecisionRow {
  const breakGlass = parseBreakGlass(d.breakGlass);
  const user = userInfoOf(d.userInfo);
  return {
    id: d.id,
    uid: d.uid,
    decidedAt: d.decidedAt.toISOString(),
    receivedAt: d.receivedAt.toISOString(),
    cluster: d.cluster?.name ?? null,
    enforcementPoint: d.enforcementPoint?.name ?? null,
    namespace: d.namespace,
    kind: d.kind,
    name: d.name,
    operation: d.operation,
    allowed: d.allowed,
    warned: d.warned,
    policies: d.policies,
    message: d.message,
    username: user.username,
    groups: user.groups,
    breakGlass,
    result: decisionResult({ allowed: d.allowed, warned: d.warned, breakGlass }),
  };
}
