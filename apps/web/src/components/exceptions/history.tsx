import { formatDateTime } from "../format.ts";
import { historyDetails, historyLabel, historyNote } from "./labels.ts";

// The exception's story from its audit rows: who asked, who decided, notes and what changed.

export interface HistoryItem {
  id: string;
  action: string;
  actor: string;
  at: Date;
  metadata: unknown;
}

export function ExceptionHistory({ entries }: { entries: HistoryItem[] }) {
  if (entries.length === 0) return <p className="text-sm text-muted">No history recorded.</p>;
  return (
    <ol className="relative space-y-3 border-l border-border pl-4" data-testid="exception-history">
      {entries.map((e) => {
        const details = historyDetails(e.action, e.metadata);
        const note = historyNote(e.metadata);
        return (
          <li key={e.id} data-testid={`history-${e.action.replace(/\./g, "-")}`}>
            <span aria-hidden="true" className="absolute -left-[5px] mt-1.5 h-2.5 w-2.5 rounded-full border border-border bg-surface-2" />
            <p className="text-sm">
              <span className="font-medium">{historyLabel(e.action)}</span> <span className="text-muted">by {e.actor}</span>
            </p>
            <p className="text-xs text-muted">
              <time dateTime={e.at.toISOString()}>{formatDateTime(e.at)}</time>
              {details.length ? ` · ${details.join(" · ")}` : ""}
            </p>
            {note ? <blockquote className="mt-1 border-l-2 border-border pl-2 text-sm whitespace-pre-wrap">{note}</blockquote> : null}
          </li>
        );
      })}
    </ol>
  );
}
