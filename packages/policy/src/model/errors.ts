import type { z } from "zod";
import type { PolicyCompileError } from "./types.ts";

// Errors name the exact field an admin has to fix, in the dotted/indexed form the dashboard and the
// CLI print: `rule.sections[0].conditions[1].operator`.

export function formatPath(segments: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): PolicyCompileError[] {
  return issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issue.message }));
}

/** 1-based line and column of a 0-based offset, counting `\n` line breaks. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
