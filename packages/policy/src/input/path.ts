import type { JsonObject } from "../types.ts";

// Manifests are untrusted input: every read goes through these guards so a wrong type (a string
// where a list belongs, an array where an object belongs) reads as "absent" instead of throwing.

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own property only: `__proto__`, `constructor` and friends must never resolve to Object.prototype. */
export function prop(obj: unknown, key: string): unknown {
  if (!isObject(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  return obj[key];
}

export function objectAt(obj: unknown, key: string): JsonObject | undefined {
  const v = prop(obj, key);
  return isObject(v) ? v : undefined;
}

export function arrayAt(obj: unknown, key: string): unknown[] | undefined {
  const v = prop(obj, key);
  return Array.isArray(v) ? v : undefined;
}

export function stringAt(obj: unknown, key: string): string | undefined {
  const v = prop(obj, key);
  return typeof v === "string" ? v : undefined;
}

/** String-valued entries only; Kubernetes rejects other values, so they cannot have an effect. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  // Object.keys rather than entries: this runs four times per admission review, without a pair per label.
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

export type PathSegment = string | number;

/**
 * Splits `a.b[0].c` / `metadata.annotations["x.y/z"]` into segments. Quoted brackets exist because
 * annotation and label keys contain dots. Returns undefined for a malformed path.
 */
export function parsePath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  let expectKey = true;
  while (i < path.length) {
    const ch = path[i];
    if (ch === "[") {
      const q = path[i + 1];
      if (q === '"' || q === "'") {
        // Search for quote+bracket, so a quoted key may itself contain "]".
        const end = path.indexOf(`${q}]`, i + 2);
        if (end < 0) return undefined;
        segments.push(path.slice(i + 2, end));
        i = end + 2;
      } else {
        const close = path.indexOf("]", i);
        const inner = close < 0 ? "" : path.slice(i + 1, close);
        if (!/^\d+$/.test(inner)) return undefined;
        segments.push(Number(inner));
        i = close + 1;
      }
      expectKey = false;
    } else if (ch === ".") {
      if (expectKey) return undefined;
      expectKey = true;
      i += 1;
    } else {
      if (!expectKey) return undefined;
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j += 1;
      segments.push(path.slice(i, j));
      i = j;
      expectKey = false;
    }
  }
  if (expectKey && segments.length > 0) return undefined;
  return segments;
}

/** Reads `a.b[0].c` from a JSON value; undefined when any step is missing or of the wrong type. */
export function getPath(obj: unknown, path: string | readonly PathSegment[]): unknown {
  const segments = typeof path === "string" ? parsePath(path) : path;
  if (!segments) return undefined;
  let cur: unknown = obj;
  for (const seg of segments) {
    if (typeof seg === "number") {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      cur = prop(cur, seg);
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}
