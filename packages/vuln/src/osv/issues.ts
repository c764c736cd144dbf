import type { z } from "zod";
import type { RecordIssue } from "../types.ts";
import { OSV_LIMITS } from "./schema.ts";

// Issue and warning lists are bounded like the records themselves: a record with a million bad entries
// must not produce a million stored messages.

export class IssueList {
  private readonly items: RecordIssue[] = [];
  private dropped = 0;

  constructor(private readonly max: number = OSV_LIMITS.reportedIssues) {}

  add(path: RecordIssue["path"], message: string): void {
    if (this.items.length < this.max) this.items.push({ path: [...path], message });
    else this.dropped++;
  }

  toArray(): RecordIssue[] {
    if (this.dropped === 0) return [...this.items];
    return [...this.items, { path: [], message: `${this.dropped} more not shown` }];
  }
}

/** Zod paths may hold symbols in theory; JSON paths only strings and array indexes. */
function toJsonPath(path: readonly PropertyKey[]): RecordIssue["path"] {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

export function issuesFromZod(error: z.ZodError): RecordIssue[] {
  const list = new IssueList();
  for (const issue of error.issues) list.add(toJsonPath(issue.path), issue.message);
  return list.toArray();
}
