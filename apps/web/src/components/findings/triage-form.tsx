import { TRIAGE_FORM_ID } from "./findings-table.tsx";

// Bulk triage (ANALYST+; the page does not render it for viewers, and the use case checks again).
// A plain form posting to a server action: the selected rows' checkboxes join it through form=, and
// `back` is the explorer URL to return to with the outcome.

export type FormAction = string | ((formData: FormData) => void | Promise<void>);

export const TRIAGE_CHOICES = [
  { value: "request-exception", label: "Request exception (accepted risk)" },
  { value: "mark-false-positive", label: "Mark false positive" },
  { value: "reopen", label: "Reopen" },
  { value: "resolve", label: "Resolve (runtime findings and policy violations)" },
] as const;

export function TriageForm({ action, back, ids, isAdmin, title = "Triage selected findings" }: { action: FormAction; back: string; ids?: string[]; isAdmin: boolean; title?: string }) {
  return (
    <form id={TRIAGE_FORM_ID} action={action} className="card space-y-3" data-testid="triage-form" aria-labelledby="triage-title">
      <h2 id="triage-title" className="text-sm font-semibold">
        {title}
      </h2>
      <input type="hidden" name="back" value={back} />
      {ids?.map((id) => (
        <input key={id} type="hidden" name="ids" value={id} />
      ))}
      <div className="grid gap-3 sm:grid-cols-[auto_1fr_auto]">
        <div>
          <label htmlFor="triage-action" className="label text-xs">
            Action
          </label>
          <select id="triage-action" name="action" defaultValue="request-exception" required className="input py-1.5">
            {TRIAGE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="triage-reason" className="label text-xs">
            Reason (required, kept in the audit log)
          </label>
          <textarea id="triage-reason" name="reason" required maxLength={2000} rows={3} className="input" />
        </div>
        <div>
          <label htmlFor="triage-expires" className="label text-xs">
            Exception expires (optional)
          </label>
          <input id="triage-expires" name="expiresAt" type="date" className="input py-1.5" />
        </div>
      </div>
      <p className="text-xs text-muted">
        One exception is requested per rule and image repository (or workload). {isAdmin ? "As an admin, your false positives are approved at once." : "An admin approves it before anything is suppressed."}{" "}
        Reopen puts suppressed or resolved findings back to open, except where an approved exception still covers them.
      </p>
      <button type="submit" className="btn btn-primary" data-testid="triage-submit">
        Apply to {ids ? "this finding" : "selected findings"}
      </button>
    </form>
  );
}
