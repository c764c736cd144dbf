import { createHash } from "node:crypto";

// Secret values are never stored: only a masked form a human can recognise and a hash that lets two
// reports of the same leaked value be matched without knowing it.

const ELLIPSIS = "\u2026";
const VISIBLE_PREFIX = 4;

/** "ghp_0123…" style: the first 4 characters, an ellipsis and the length. Short values show nothing. */
export function maskSecret(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= VISIBLE_PREFIX * 2) return `${ELLIPSIS}(${chars.length})`;
  return `${chars.slice(0, VISIBLE_PREFIX).join("")}${ELLIPSIS}(${chars.length})`;
}

/** "sha256:<hex>" of the UTF-8 value. */
export function hashSecret(value: string): string {
  return `sha256:${createHash("sha256").update(value, "utf8").digest("hex")}`;
}

/** Trivy replaces the secret with a run of asterisks; three or more in a row means already masked. */
export function isMasked(value: string): boolean {
  return /\*{3,}/.test(value);
}
