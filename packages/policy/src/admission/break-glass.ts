import { z } from "zod";

// Break-glass: an operator may admit one object that policies would deny by annotating the object
// itself with a reason and an expiry, e.g.
//   bulwark.io/break-glass: "INC-4711 hotfix, approved by on-call"
//   bulwark.io/break-glass-until: "2026-11-29T18:00:00Z"
// The bypass must expire: a time in the past, further ahead than the configured maximum, or not an
// RFC 3339 time is ignored (the normal decision stands) with a warning saying why. Every bypass is
// reported with the policies it bypassed, so it is audited centrally.

export const BREAK_GLASS_ANNOTATION = "bulwark.io/break-glass";
export const BREAK_GLASS_UNTIL_ANNOTATION = "bulwark.io/break-glass-until";
export const DEFAULT_BREAK_GLASS_MAX_HOURS = 24;

const MAX_REASON_LENGTH = 500;
const rfc3339 = z.iso.datetime({ offset: true });

export type BreakGlass =
  /** No break-glass annotation at all. */
  | { status: "none" }
  | { status: "valid"; reason: string; expiresAt: string }
  /** Annotated but not honoured; `warning` says why. */
  | { status: "ignored"; warning: string };

const ignored = (why: string): BreakGlass => ({ status: "ignored", warning: `Bulwark break-glass ignored: ${why}` });

/**
 * Reads the object's own break-glass annotations at `now` (ISO time, passed in: no clock here).
 * `maxHours` bounds how far ahead the expiry may be.
 */
export function readBreakGlass(annotations: Readonly<Record<string, string>>, now: string, maxHours: number = DEFAULT_BREAK_GLASS_MAX_HOURS): BreakGlass {
  const reasonRaw = annotations[BREAK_GLASS_ANNOTATION];
  const until = annotations[BREAK_GLASS_UNTIL_ANNOTATION];
  if (reasonRaw === undefined && until === undefined) return { status: "none" };
  const reason = (reasonRaw ?? "").trim();
  if (reason === "") return ignored(`${BREAK_GLASS_ANNOTATION} must give a reason`);
  if (until === undefined || until.trim() === "") return ignored(`${BREAK_GLASS_UNTIL_ANNOTATION} must give an RFC 3339 expiry time`);
  if (!rfc3339.safeParse(until.trim()).success) return ignored(`${BREAK_GLASS_UNTIL_ANNOTATION} "${until.slice(0, 64)}" is not an RFC 3339 time such as 2026-11-29T18:00:00Z`);
  const expires = Date.parse(until.trim());
  const nowMs = Date.parse(now);
  if (!Number.isFinite(expires) || !Number.isFinite(nowMs)) return ignored("the expiry time cannot be compared");
  if (expires <= nowMs) return ignored(`it expired at ${new Date(expires).toISOString()}`);
  if (expires - nowMs > maxHours * 3_600_000) return ignored(`it expires more than ${maxHours} h ahead (${new Date(expires).toISOString()}); the maximum is ${maxHours} h`);
  const clipped = reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
  return { status: "valid", reason: clipped, expiresAt: new Date(expires).toISOString() };
}
