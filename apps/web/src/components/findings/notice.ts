// The outcome of a triage or saved-view action, carried back to the explorer in the URL as codes and
// counts only (never free text), so a crafted link cannot put words on the page.

export type NoticeParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const count = (v: string | string[] | undefined) => {
  const n = Number(one(v));
  return Number.isInteger(n) && n >= 0 && n < 1e7 ? n : 0;
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const ERRORS: Record<string, string> = {
  FORBIDDEN: "Your role does not allow this action.",
  NOT_FOUND: "That no longer exists (or belongs to another organization).",
  VALIDATION_FAILED: "The request was invalid: check the selection, the reason and the date.",
  CONFLICT: "That conflicts with what exists already (a view with the same name?).",
  NONE: "Select at least one finding first.",
};

export function noticeOf(sp: NoticeParams): { tone: "ok" | "error"; text: string } | null {
  const done = one(sp.done);
  const err = one(sp.err);
  if (err) return { tone: "error", text: ERRORS[err] ?? "Something went wrong on our side. Please try again." };
  const skipped = count(sp.skip);
  const tail = skipped ? ` ${plural(skipped, "finding")} skipped (already handled, or still covered by an exception).` : "";
  switch (done) {
    case "request-exception":
      return { tone: "ok", text: `Requested ${plural(count(sp.ex), "exception")} for ${plural(count(sp.n), "finding")}; an admin approves before anything is suppressed.${tail}` };
    case "mark-false-positive":
      return one(sp.approved) === "1"
        ? { tone: "ok", text: `Marked ${plural(count(sp.n), "finding")} as false positive and suppressed them (${plural(count(sp.ex), "exception")}).${tail}` }
        : { tone: "ok", text: `Requested ${plural(count(sp.ex), "false-positive exception")} for ${plural(count(sp.n), "finding")}; an admin approves it.${tail}` };
    case "reopen":
      return { tone: "ok", text: `Reopened ${plural(count(sp.n), "finding")}.${tail}` };
    case "resolve":
      return { tone: "ok", text: `Resolved ${plural(count(sp.n), "finding")}; new events or decisions reopen them.${tail}` };
    case "view-saved":
      return { tone: "ok", text: "View saved." };
    case "view-deleted":
      return { tone: "ok", text: "View deleted." };
    default:
      return null;
  }
}
