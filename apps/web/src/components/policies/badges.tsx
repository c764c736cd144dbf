import { titleCase } from "../format.ts";

// Small labels used by the policy pages. Colour is never the only cue: every badge carries its text.

const SEVERITY_VAR: Record<string, string> = {
  CRITICAL: "var(--sev-critical)",
  HIGH: "var(--sev-high)",
  MEDIUM: "var(--sev-medium)",
  LOW: "var(--sev-low)",
  INFO: "var(--sev-info)",
};

const ENFORCEMENT_VAR: Record<string, string> = {
  AUDIT: "var(--muted)",
  WARN: "var(--warn)",
  ENFORCE: "var(--danger)",
};

function Badge({ color, children, testId }: { color: string; children: React.ReactNode; testId?: string }) {
  return (
    <span
      className="inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap"
      style={{ color, borderColor: `color-mix(in srgb, ${color} 45%, transparent)` }}
      data-testid={testId}
    >
      {children}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge color={SEVERITY_VAR[severity] ?? "var(--muted)"}>{titleCase(severity)}</Badge>;
}

export function EnforcementBadge({ mode }: { mode: string }) {
  return <Badge color={ENFORCEMENT_VAR[mode] ?? "var(--muted)"}>{titleCase(mode)}</Badge>;
}

export function KindBadge({ builtin }: { builtin: boolean }) {
  return <Badge color={builtin ? "var(--accent)" : "var(--fg)"}>{builtin ? "Built-in" : "Custom"}</Badge>;
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return <Badge color={enabled ? "var(--ok)" : "var(--muted)"}>{enabled ? "Enabled" : "Disabled"}</Badge>;
}
