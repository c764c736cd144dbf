import type { ParseOsvResult } from "../types.ts";
import { parseOsvRecord } from "./parse-record.ts";

// Feed files hold one OSV record, or (some mirrors and bulk exports) a JSON array of records.
// The caller bounds the text size before it gets here.

const MAX_MESSAGE_DETAIL = 200;

/**
 * Parses the JSON text of one feed file into one result per record, in file order. Invalid JSON gives a
 * single failed result naming `origin` (e.g. the file name inside a feed archive). Never throws.
 */
export function parseOsvJsonText(text: string, origin: string): ParseOsvResult[] {
  let value: unknown;
  try {
    // A UTF-8 byte order mark is not JSON whitespace, but some exporters write one.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    // V8 quotes part of the input in its message; keep it short, a hostile file controls it.
    const detail = (err instanceof Error ? err.message : String(err)).slice(0, MAX_MESSAGE_DETAIL);
    return [
      {
        ok: false,
        id: null,
        issues: [{ path: [], message: `${origin.slice(0, MAX_MESSAGE_DETAIL)}: invalid JSON: ${detail}` }],
      },
    ];
  }
  if (Array.isArray(value)) return value.map((record: unknown) => parseOsvRecord(record));
  return [parseOsvRecord(value)];
}
