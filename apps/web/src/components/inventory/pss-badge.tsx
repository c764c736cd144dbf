import { StatusBadge } from "../enforcement/status-badge.tsx";
import type { Tone } from "../enforcement/status.ts";

// The highest Pod Security Standards level a workload meets, as text (colour only reinforces it).

const PSS: Record<string, { label: string; tone: Tone; title: string }> = {
  restricted: { label: "Restricted", tone: "ok", title: "Meets the Restricted profile (hardened)" },
  baseline: { label: "Baseline", tone: "warn", title: "Meets Baseline but not Restricted" },
  privileged: { label: "Privileged", tone: "danger", title: "Fails Baseline: known privilege escalations are allowed" },
};

export function PssBadge({ level }: { level: string | null }) {
  const p = level ? PSS[level] : undefined;
  if (!p) return <StatusBadge tone="muted" label="Not evaluated" title="Not evaluated against the policy set yet" />;
  return <StatusBadge tone={p.tone} label={p.label} title={p.title} testId={`pss-${level}`} />;
}
