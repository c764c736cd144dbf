import type { Tone } from "../enforcement/status.ts";

// Words for exception fields, states, flags and history entries, shared by the pages and tests.
// Client components import this too, so it stays free of server imports.

export const SCOPE_LABELS: Record<string, string> = {
  advisory: "Advisory",
  policyId: "Policy",
  rule: "Rule",
  imageRepository: "Image repository",
  imageDigest: "Image digest",
  cluster: "Cluster",
  namespace: "Namespace",
  workload: "Workload",
  kind: "Workload kind",
  container: "Container",
  image: "Image pattern",
};

/** Scope fields in display order (unknown keys last, as stored). */
export function scopeEntries(scope: Record<string, unknown>): [field: string, label: string, value: string][] {
  const known = Object.keys(SCOPE_LABELS).filter((k) => typeof scope[k] === "string" && scope[k] !== "");
  const other = Object.keys(scope).filter((k) => !(k in SCOPE_LABELS) && typeof scope[k] === "string" && scope[k] !== "");
  return [...known, ...other].map((k) => [k, SCOPE_LABELS[k] ?? k, scope[k] as string]);
}

/** "Advisory CVE-2024-3094 · Image repository ghcr.io/acme/api" */
export function scopeSummary(scope: Record<string, unknown>): string {
  const entries = scopeEntries(scope);
  return entries.length ? entries.map(([, label, value]) => `${label} ${value}`).join(" · ") : "(empty scope)";
}

export const KIND_LABELS: Record<string, string> = { RISK_ACCEPTED: "Risk accepted", FALSE_POSITIVE: "False positive" };

const STATES: Record<string, { label: string; tone: Tone }> = {
  requested: { label: "Awaiting approval", tone: "warn" },
  approved: { label: "Approved", tone: "ok" },
  expired: { label: "Expired", tone: "muted" },
  rejected: { label: "Rejected", tone: "danger" },
  revoked: { label: "Revoked", tone: "muted" },
};

export function stateDisplay(state: string): { label: string; tone: Tone } {
  return STATES[state] ?? { label: state, tone: "muted" };
}

export const FLAG_LABELS: Record<string, string> = {
  "matches-nothing": "Matches nothing",
  "matches-over-100": "Matches over 100 findings",
};

export const FLAG_HELP: Record<string, string> = {
  "matches-nothing": "No current finding is in this scope: check the ids and names.",
  "matches-over-100": "More than 100 findings are in this scope: consider narrowing it.",
};

const ACTIONS: Record<string, string> = {
  "exception.requested": "Requested",
  "exception.approved": "Approved",
  "exception.rejected": "Rejected",
  "exception.revoked": "Revoked",
  "exception.withdrawn": "Withdrawn by the requester",
  "exception.expired": "Expired",
};

export function historyLabel(action: string): string {
  return ACTIONS[action] ?? action;
}

/** The parts of an audit row's metadata worth a line in the history (note, counts, self-approval). */
export function historyDetails(action: string, metadata: unknown): string[] {
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return [];
  const m = metadata as Record<string, unknown>;
  const out: string[] = [];
  const count = (key: string, words: string) => {
    const v = m[key];
    if (typeof v === "number" && v > 0) out.push(`${v} ${words}`);
  };
  if (action === "exception.approved") {
    if (m.selfApproved === true) out.push("approved by its requester");
    count("suppressed", "findings suppressed");
  }
  count("reopened", "findings reopened");
  if (action === "exception.requested" && typeof m.expiresAt === "string") out.push(`expiry requested for ${m.expiresAt.slice(0, 10)}`);
  return out;
}

export function historyNote(metadata: unknown): string | null {
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return null;
  const note = (metadata as Record<string, unknown>).note;
  return typeof note === "string" && note.trim() !== "" ? note : null;
}
