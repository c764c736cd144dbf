import { type DbTx, type Exception, type ExceptionKind, type ExceptionStatus } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { findingWhere } from "./match.ts";
import { type ExceptionScope, readStoredScope, scopeNotes } from "./scope.ts";

// How exceptions look to callers: the row with people resolved to emails, its derived state, how many
// findings its scope matches now, and the flags the list filters on.

/** More matching findings than this makes an exception "broad": worth a second look before approval. */
export const BROAD_MATCH_THRESHOLD = 100;
export const EXCEPTION_FLAGS = ["matches-nothing", "matches-over-100"] as const;
export type ExceptionFlag = (typeof EXCEPTION_FLAGS)[number];

export type ExceptionState = "requested" | "approved" | "expired" | "rejected" | "revoked";

export interface PersonRef {
  id: string;
  email: string;
}

export interface ExceptionView {
  id: string;
  kind: ExceptionKind;
  status: ExceptionStatus;
  /** status, with an approved exception past its expiry shown as "expired". */
  state: ExceptionState;
  scope: ExceptionScope;
  reason: string;
  expiresAt: Date | null;
  expiredAt: Date | null;
  requestedBy: PersonRef | null;
  approvedBy: PersonRef | null;
  approvedAt: Date | null;
  closedBy: PersonRef | null;
  closedAt: Date | null;
  closeNote: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Findings the scope matches now, OPEN or SUPPRESSED (resolved ones are history). */
  matchCount: number;
  flags: ExceptionFlag[];
  /** Hints about what the scope can and cannot cover. */
  notes: string[];
}

export interface ExceptionWarning {
  code: ExceptionFlag;
  message: string;
}

export function stateOf(row: Pick<Exception, "status" | "expiresAt" | "expiredAt">, now = new Date()): ExceptionState {
  if (row.status === "APPROVED") return row.expiredAt || (row.expiresAt && row.expiresAt <= now) ? "expired" : "approved";
  return row.status.toLowerCase() as ExceptionState;
}

export function flagsOf(matchCount: number): ExceptionFlag[] {
  if (matchCount === 0) return ["matches-nothing"];
  return matchCount > BROAD_MATCH_THRESHOLD ? ["matches-over-100"] : [];
}

export function warningsOf(matchCount: number): ExceptionWarning[] {
  return flagsOf(matchCount).map((code) => ({
    code,
    message:
      code === "matches-nothing"
        ? "This scope matches no current finding: check the ids and names (it may still match future findings, and a policy scope still applies at admission)."
        : `This scope matches ${matchCount} findings (more than ${BROAD_MATCH_THRESHOLD}): consider narrowing it.`,
  }));
}

/** One COUNT of the findings a stored scope matches, OPEN or SUPPRESSED. */
export async function countMatches(db: DbTx, orgId: string, scopeJson: unknown): Promise<number> {
  const where = await findingWhere(db, orgId, readStoredScope(scopeJson));
  return db.finding.count({ where: { AND: [where, { status: { in: ["OPEN", "SUPPRESSED"] } }] } });
}

/** The exception of the caller's organization, or 404 (another organization's id included). */
export async function loadException(db: DbTx, orgId: string, id: string): Promise<Exception> {
  const row = typeof id === "string" && id.length > 0 && id.length <= 100 ? await db.exception.findFirst({ where: { id, orgId } }) : null;
  if (!row) throw AppError.notFound("Exception");
  return row;
}

/** Views of rows, people resolved in one read; matchCount is one COUNT per row (a page is at most 100). */
export async function toViews(db: DbTx, orgId: string, rows: Exception[], now = new Date()): Promise<ExceptionView[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.requestedById, r.approvedById, r.closedById]).filter((v): v is string => v !== null))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  const person = (id: string | null): PersonRef | null => (id ? (byId.get(id) ?? { id, email: "(deleted user)" }) : null);
  const counts = await Promise.all(rows.map((r) => countMatches(db, orgId, r.scope)));
  return rows.map((r, i) => {
    const stored = readStoredScope(r.scope);
    const matchCount = counts[i]!;
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      state: stateOf(r, now),
      scope: stored.scope,
      reason: r.reason,
      expiresAt: r.expiresAt,
      expiredAt: r.expiredAt,
      requestedBy: person(r.requestedById),
      approvedBy: person(r.approvedById),
      approvedAt: r.approvedAt,
      closedBy: person(r.closedById),
      closedAt: r.closedAt,
      closeNote: r.closeNote,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      matchCount,
      flags: flagsOf(matchCount),
      notes: scopeNotes(stored),
    };
  });
}

export async function toView(db: DbTx, orgId: string, row: Exception): Promise<ExceptionView> {
  return (await toViews(db, orgId, [row]))[0]!;
}
