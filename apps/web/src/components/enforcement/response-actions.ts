import type { Tone } from "./status.ts";

// The response actions page: filters (URL <-> filters <-> use case query) and the row shape the table
// renders. Pure, so the page, the table and the tests share one definition.

export const ACTION_STATUS_VALUES = ["PENDING", "CLAIMED", "SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED"] as const;
export type ActionStatusValue = (typeof ACTION_STATUS_VALUES)[number];

export const ACTIONS_PAGE_SIZE = 50;

export const ACTION_STATUS: Record<ActionStatusValue, { label: string; tone: Tone; help: string }> = {
  PENDING: { label: "Pending", tone: "warn", help: "Waiting for an enforcement point of the cluster to claim it" },
  CLAIMED: { label: "Claimed", tone: "warn", help: "An enforcement point took it and is acting" },
  SUCCEEDED: { label: "Done", tone: "ok", help: "The enforcement point carried it out" },
  FAILED: { label: "Failed", tone: "danger", help: "The Kubernetes API refused or failed" },
  SKIPPED: { label: "Skipped", tone: "muted", help: "Not configured to act, or the target no longer exists" },
  CANCELLED: { label: "Cancelled", tone: "muted", help: "An admin cancelled it" },
};

export const ACTION_LABELS: Record<string, string> = { DELETE_POD: "Delete pod", SCALE_TO_ZERO: "Scale to zero" };

export interface ActionFilters {
  status?: ActionStatusValue;
  cluster?: string;
  policy?: string;
}

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function param(sp: SearchParams, key: string, max: number): string | undefined {
  const raw = sp instanceof URLSearchParams ? (sp.get(key) ?? undefined) : sp[key];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return v && v.length <= max ? v : undefined;
}

/** Reads the filters from the URL; values the API would refuse are dropped rather than failing the page. */
export function parseActionFilters(sp: SearchParams): { filters: ActionFilters; cursor?: string } {
  const filters: ActionFilters = {};
  const status = param(sp, "status", 20)?.toUpperCase();
  const cluster = param(sp, "cluster", 253);
  const policy = param(sp, "policy", 100);
  if (status && (ACTION_STATUS_VALUES as readonly string[]).includes(status)) filters.status = status as ActionStatusValue;
  if (cluster) filters.cluster = cluster;
  if (policy) filters.policy = policy;
  const cursor = param(sp, "cursor", 100);
  return cursor ? { filters, cursor } : { filters };
}

export function actionFiltersToSearch(filters: ActionFilters, cursor?: string): string {
  const sp = new URLSearchParams();
  if (filters.status) sp.set("status", filters.status);
  if (filters.cluster) sp.set("cluster", filters.cluster);
  if (filters.policy) sp.set("policy", filters.policy);
  if (cursor) sp.set("cursor", cursor);
  const s = sp.toString();
  return s ? `?${s}` : "";
}

export function hasActionFilters(filters: ActionFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined);
}

export function actionQuery(filters: ActionFilters, cursor?: string, limit = ACTIONS_PAGE_SIZE) {
  return { ...filters, ...(cursor ? { cursor } : {}), limit };
}

/** What the table shows of one action (dates as ISO text, so rows cross the server/client boundary). */
export interface ActionRow {
  id: string;
  createdAt: string;
  cluster: string;
  /** "Deployment shop/web" or "pod shop/web-7d9c6b5f8-q8w2z". */
  target: string;
  action: string;
  actionLabel: string;
  policy: string;
  reason: string;
  finding: { id: string; title: string } | null;
  status: ActionStatusValue;
  result: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  completedAt: string | null;
  cancellable: boolean;
}

interface ActionViewLike {
  id: string;
  action: string;
  status: string;
  cluster: { name: string };
  namespace: string;
  kind: string;
  name: string;
  pod: string | null;
  policyKey: string;
  reason: string;
  result: string | null;
  finding: { id: string; title: string } | null;
  enforcementPoint: { name: string } | null;
  createdAt: Date | string;
  claimedAt: Date | string | null;
  completedAt: Date | string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : typeof d === "string" ? d : d.toISOString());

export function toActionRow(v: ActionViewLike): ActionRow {
  const status = (ACTION_STATUS_VALUES as readonly string[]).includes(v.status) ? (v.status as ActionStatusValue) : "PENDING";
  return {
    id: v.id,
    createdAt: iso(v.createdAt)!,
    cluster: v.cluster.name,
    target: v.pod ? `pod ${v.namespace}/${v.pod}` : `${v.kind} ${v.namespace}/${v.name}`,
    action: v.action,
    actionLabel: ACTION_LABELS[v.action] ?? v.action,
    policy: v.policyKey,
    reason: v.reason,
    finding: v.finding,
    status,
    result: v.result,
    claimedBy: v.enforcementPoint?.name ?? null,
    claimedAt: iso(v.claimedAt),
    completedAt: iso(v.completedAt),
    cancellable: status === "PENDING" || status === "CLAIMED",
  };
}
