import type { Tone } from "./status.ts";

// The label carries the meaning; colour and a tone-specific glyph only reinforce it (for colour-blind
// readers and forced-colours mode alike).

const TONE_CLASS: Record<Tone, string> = {
  ok: "text-ok",
  warn: "text-warn",
  danger: "text-danger",
  muted: "text-muted",
};

const TONE_GLYPH: Record<Tone, string> = { ok: "●", warn: "▲", danger: "■", muted: "○" };

export function StatusBadge({ tone, label, title, testId }: { tone: Tone; label: string; title?: string; testId?: string }) {
  return (
    <span className={`inline-flex items-center gap-1.5 font-medium whitespace-nowrap ${TONE_CLASS[tone]}`} title={title} data-testid={testId}>
      <span aria-hidden="true" className="text-[0.7em]">
        {TONE_GLYPH[tone]}
      </span>
      {label}
    </span>
  );
}
