"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { setRescanScheduleAction } from "../../app/(dashboard)/vulnerabilities/actions.ts";
import { CRON_PRESETS, describeCron } from "./cron.ts";

// The full re-match schedule editor (ADMIN+). The description updates as the pattern is typed; the
// server validates the pattern (5 fields, UTC) and says what is wrong with it.

export function ScheduleEditor({ cron }: { cron: string }) {
  const router = useRouter();
  const inputId = useId();
  const hintId = useId();
  const [value, setValue] = useState(cron);
  // A schedule changed on the server (this save after its refresh, or another admin) becomes the input's
  // value; adjusting state during render keeps the "saved" note, which a remount would drop.
  const [shown, setShown] = useState(cron);
  if (shown !== cron) {
    setShown(cron);
    setValue(cron);
  }
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const described = describeCron(value);
  const changed = value.trim().replace(/\s+/g, " ") !== cron;

  return (
    <form
      className="space-y-2"
      aria-label="Rescan schedule"
      data-testid="schedule-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setSaved(false);
        start(async () => {
          const r = await setRescanScheduleAction(value);
          if (!r.ok) {
            setError(r.fields?.[0]?.message ?? r.error);
            return;
          }
          setValue(r.data.cron);
          setSaved(true);
          router.refresh();
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-48">
          <label htmlFor={inputId} className="label text-xs">
            Cron pattern (UTC)
          </label>
          <input
            id={inputId}
            className="input py-1.5 font-mono"
            value={value}
            maxLength={100}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={hintId}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              setSaved(false);
            }}
            data-testid="schedule-input"
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={pending || !changed} data-testid="schedule-save">
          {pending ? "Saving…" : "Save schedule"}
        </button>
      </div>
      <p id={hintId} className="text-xs text-muted">
        {described ? `${described}.` : "Five fields: minute, hour, day of month, month, day of week."} Common choices:{" "}
        {CRON_PRESETS.map((p, i) => (
          <span key={p.cron}>
            {i > 0 ? ", " : ""}
            <button type="button" className="text-accent underline" onClick={() => setValue(p.cron)} title={p.label}>
              <code>{p.cron}</code>
            </button>
          </span>
        ))}
        .
      </p>
      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="schedule-error">
          {error}
        </p>
      ) : null}
      {saved ? (
        <p role="status" className="text-sm text-ok" data-testid="schedule-saved">
          Schedule saved.
        </p>
      ) : null}
    </form>
  );
}
