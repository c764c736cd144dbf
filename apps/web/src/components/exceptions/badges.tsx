import { StatusBadge } from "../enforcement/status-badge.tsx";
import { FLAG_HELP, FLAG_LABELS, KIND_LABELS, stateDisplay } from "./labels.ts";

// Labels of the exception pages. Flags are visible text (not just an icon or a colour) because they
// are the reason to look twice at a request before approving it.

export function ExceptionStateBadge({ state, testId }: { state: string; testId?: string }) {
  const s = stateDisplay(state);
  return <StatusBadge tone={s.tone} label={s.label} testId={testId} />;
}

export function ExceptionKind({ kind }: { kind: string }) {
  return <span className="text-xs font-medium whitespace-nowrap">{KIND_LABELS[kind] ?? kind}</span>;
}

export function ExceptionFlags({ flags, idSuffix }: { flags: readonly string[]; idSuffix?: string }) {
  if (flags.length === 0) return null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {flags.map((f) => (
        <span
          key={f}
          className="inline-flex items-center gap-1 rounded-full border border-[color-mix(in_srgb,var(--warn)_45%,transparent)] px-2 py-0.5 text-xs font-medium whitespace-nowrap text-warn"
          title={FLAG_HELP[f]}
          data-testid={`flag-${f}${idSuffix ? `-${idSuffix}` : ""}`}
        >
          <span aria-hidden="true">▲</span>
          {FLAG_LABELS[f] ?? f}
        </span>
      ))}
    </span>
  );
}
