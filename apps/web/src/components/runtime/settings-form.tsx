"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { updateRuntimeSettingsAction } from "../../app/(dashboard)/runtime/actions.ts";

// The organization's runtime settings. Admins edit them (audited); everyone else sees the values.
// The server checks the bounds again and answers with errors by field.

export interface RuntimeSettingsValues {
  baselineLearningMinutes: number;
  alertDedupMinutes: number;
}

const FIELDS = [
  {
    name: "baselineLearningMinutes",
    label: "Baseline learning window (minutes)",
    min: 5,
    max: 43_200,
    hint: "How long a new process baseline learns before it locks (5 minutes to 30 days; default 1440 = 24 h). Applies to baselines created or reset afterwards.",
  },
  {
    name: "alertDedupMinutes",
    label: "Alert dedup window (minutes)",
    min: 1,
    max: 10_080,
    hint: "A runtime finding alerts at most once per window, however noisy its rule (1 minute to 7 days; default 60).",
  },
] as const;

/** "1440 minutes" as people say it: "24 h", "3 d", "45 min". */
export function minutesText(m: number): string {
  if (m % 1440 === 0) return `${m / 1440} d`;
  if (m % 60 === 0) return `${m / 60} h`;
  return `${m} min`;
}

export function RuntimeSettingsForm({ values, canEdit }: { values: RuntimeSettingsValues; canEdit: boolean }) {
  const router = useRouter();
  const [draft, setDraft] = useState({ baselineLearningMinutes: String(values.baselineLearningMinutes), alertDedupMinutes: String(values.alertDedupMinutes) });
  const [fields, setFields] = useState<{ path: string; message: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const errorOf = (path: string) => fields.filter((f) => f.path === path).map((f) => f.message).join("; ");

  return (
    <form
      className="max-w-2xl space-y-4"
      aria-label="Runtime settings"
      data-testid="runtime-settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setFields([]);
        setSaved(false);
        start(async () => {
          const r = await updateRuntimeSettingsAction({ baselineLearningMinutes: Number(draft.baselineLearningMinutes), alertDedupMinutes: Number(draft.alertDedupMinutes) });
          if (!r.ok) {
            setError(r.error);
            setFields(r.fields ?? []);
            return;
          }
          setSaved(true);
          router.refresh();
        });
      }}
    >
      {!canEdit ? (
        <p className="text-sm text-muted" data-testid="runtime-settings-readonly">
          Only admins change these settings.
        </p>
      ) : null}
      {FIELDS.map((f) => {
        const err = errorOf(f.name);
        const value = draft[f.name];
        return (
          <div key={f.name}>
            <label htmlFor={`rs-${f.name}`} className="label">
              {f.label}
            </label>
            <div className="flex items-center gap-3">
              <input
                id={`rs-${f.name}`}
                name={f.name}
                type="number"
                required
                min={f.min}
                max={f.max}
                step={1}
                readOnly={!canEdit}
                value={value}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setDraft((d) => ({ ...d, [f.name]: v }));
                  setSaved(false);
                }}
                aria-describedby={`rs-${f.name}-hint`}
                aria-invalid={err ? true : undefined}
                className="input w-40 py-1.5"
                data-testid={`runtime-setting-${f.name}`}
              />
              <span className="text-sm text-muted">{Number.isInteger(Number(value)) && Number(value) > 0 ? `= ${minutesText(Number(value))}` : ""}</span>
            </div>
            <p id={`rs-${f.name}-hint`} className="mt-1 text-xs text-muted">
              {err ? <span className="text-danger">{err}. </span> : null}
              {f.hint}
            </p>
          </div>
        );
      })}
      {canEdit ? (
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="runtime-settings-save">
          {pending ? "Saving…" : "Save settings"}
        </button>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="runtime-settings-error">
          {error}
        </p>
      ) : null}
      {saved ? (
        <p role="status" className="text-sm text-ok" data-testid="runtime-settings-saved">
          Settings saved.
        </p>
      ) : null}
    </form>
  );
}
