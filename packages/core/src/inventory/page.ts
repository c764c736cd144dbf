import { z } from "zod";
import { AppError } from "../errors.ts";

// Keyset pagination shared by the inventory lists. A cursor is the sort value and id of the last row
// of a page, base64url JSON: opaque to clients, stable while rows are added (unlike offsets), and each
// page is an index range scan rather than a growing OFFSET.

export type CursorValue = string | number;

export const pageLimitSchema = z.coerce.number().int().min(1).max(200).default(50);
export const sortDirSchema = z.enum(["asc", "desc"]).optional();
export const cursorSchema = z.string().min(1).max(500).optional();
/** Query-string booleans: "true"/"false" (also 1/0, as checkboxes send them). */
export const boolParamSchema = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
/** Free-text search of a list. */
export const searchSchema = z.string().trim().max(200).optional();

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), "utf8").toString("base64url");
}

function badCursor(): AppError {
  return new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
}

/** The [value, id] a cursor holds, checked against the type the sort column has. */
export function decodeCursor(cursor: string, type: "string" | "number"): [CursorValue, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== "string" || typeof parsed[0] !== type) throw badCursor();
  if (type === "number" && !Number.isFinite(parsed[0])) throw badCursor();
  return [parsed[0] as CursorValue, parsed[1]];
}

/** Escapes LIKE wildcards so a search for "a_b" matches that text only. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Keyset paging over rows already sorted in memory (small lists: clusters). Sorting ties break on id
 * so the order is total and a cursor resumes exactly after its row.
 */
export function pageInMemory<T extends { id: string }>(rows: T[], key: (r: T) => CursorValue, dir: "asc" | "desc", limit: number, cursor: string | undefined, type: "string" | "number"): Page<T> {
  const sign = dir === "asc" ? 1 : -1;
  const cmp = (a: CursorValue, aId: string, b: CursorValue, bId: string) => {
    const c = typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    return (c !== 0 ? c : aId < bId ? -1 : aId > bId ? 1 : 0) * sign;
  };
  const sorted = [...rows].sort((a, b) => cmp(key(a), a.id, key(b), b.id));
  let start = 0;
  if (cursor) {
    const [v, id] = decodeCursor(cursor, type);
    start = sorted.findIndex((r) => cmp(key(r), r.id, v, id) > 0);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + limit);
  const last = items.at(-1);
  return { items, nextCursor: last && start + limit < sorted.length ? encodeCursor(key(last), last.id) : null };
}

/** Query parameters without empty values: a GET form sends `?kind=` for "any", which means no filter. */
export function withoutEmpty(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input ?? {};
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== "" && v !== undefined && v !== null));
}
