import { formatDateTime } from "../format.ts";
import { describeCron } from "./cron.ts";
import { ScheduleEditor } from "./schedule-editor.tsx";

// The full re-match schedule: in words when the pattern is a common one, always with the pattern,
// "UTC" and the last time it fired. Delta re-matches after advisory changes need no schedule.

export function ScheduleCard({ cron, lastDue, canEdit }: { cron: string; lastDue: Date | null; canEdit: boolean }) {
  const described = describeCron(cron);
  return (
    <div className="space-y-3" data-testid="rescan-schedule">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">Full rescan</dt>
        <dd data-testid="schedule-description">{described ?? "Custom schedule"}</dd>
        <dt className="text-muted">Pattern</dt>
        <dd>
          <code className="rounded bg-surface-2 px-1 font-mono" data-testid="schedule-cron">
            {cron}
          </code>{" "}
          <span className="text-xs text-muted">(UTC)</span>
        </dd>
        <dt className="text-muted">Last due</dt>
        <dd data-testid="schedule-last-due">{lastDue ? formatDateTime(lastDue) : "—"}</dd>
      </dl>
      <p className="text-xs text-muted">Advisory changes also trigger a re-match of just the affected images, whatever the schedule.</p>
      {canEdit ? (
        <ScheduleEditor cron={cron} />
      ) : (
        <p className="text-xs text-muted" data-testid="schedule-readonly">
          Only administrators can change the schedule.
        </p>
      )}
    </div>
  );
}
