import { StatusBadge } from "../enforcement/status-badge.tsx";
import type { Tone } from "../enforcement/status.ts";
import { formatAge, formatDateTime, formatNumber, titleCase } from "../format.ts";

// The advisory feeds (instance-wide) and what their last sync did. A failed sync's error is shown as
// stored: the sync job writes a message meant for operators, never a stack trace.

export interface FeedSource {
  id: string;
  name: string;
  location: string;
  enabled: boolean;
  lastSyncAt: Date | null;
  lastStatus: string | null;
  lastError: string | null;
  lastStats: unknown;
  advisoryCount: number;
}

function syncState(s: FeedSource): { label: string; tone: Tone } {
  if (!s.enabled) return { label: "Disabled", tone: "muted" };
  switch (s.lastStatus) {
    case "ok":
      return { label: "Synced", tone: "ok" };
    case "unchanged":
      return { label: "Up to date", tone: "ok" };
    case "failed":
      return { label: "Failed", tone: "danger" };
    case null:
      return { label: "Never synced", tone: "muted" };
    default:
      return { label: titleCase(s.lastStatus), tone: "warn" };
  }
}

interface Issue {
  id?: unknown;
  message?: unknown;
  level?: unknown;
}

/** The numeric counters of lastStats ("inserted 12 · updated 3"), and its stored issues. */
export function feedStats(stats: unknown): { counters: [string, number][]; issueCount: number; issues: Issue[] } {
  if (!stats || typeof stats !== "object" || Array.isArray(stats)) return { counters: [], issueCount: 0, issues: [] };
  const o = stats as Record<string, unknown>;
  const counters = Object.entries(o).filter((e): e is [string, number] => e[0] !== "issueCount" && typeof e[1] === "number" && Number.isFinite(e[1]));
  const issues = Array.isArray(o.issues) ? (o.issues.filter((i) => i && typeof i === "object") as Issue[]) : [];
  return { counters, issueCount: typeof o.issueCount === "number" ? o.issueCount : issues.length, issues };
}

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

export function FeedStatus({ sources, now }: { sources: FeedSource[]; now: Date }) {
  if (sources.length === 0) {
    return (
      <p className="px-4 pb-4 text-sm text-muted" data-testid="feeds-empty">
        No advisory feed is configured. The worker syncs the feeds named in its configuration; advisories can also be loaded with{" "}
        <code className="rounded bg-surface-2 px-1">bulwark vuln import</code>.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-border" data-testid="feeds">
      {sources.map((s) => {
        const st = syncState(s);
        const { counters, issueCount, issues } = feedStats(s.lastStats);
        return (
          <li key={s.id} className="px-4 py-3 text-sm" data-testid={`feed-${s.name}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="min-w-0">
                <span className="font-medium">{s.name}</span>{" "}
                <code className="text-xs break-all text-muted" title={s.location}>
                  {s.location}
                </code>
              </p>
              <StatusBadge tone={st.tone} label={st.label} testId={`feed-status-${s.name}`} />
            </div>
            <p className="mt-0.5 text-xs text-muted">
              Last sync {s.lastSyncAt ? <time dateTime={s.lastSyncAt.toISOString()} title={formatDateTime(s.lastSyncAt)}>{formatAge(s.lastSyncAt, now)}</time> : "never"} ·{" "}
              {formatNumber(s.advisoryCount)} {s.advisoryCount === 1 ? "advisory" : "advisories"} stored
              {counters.length ? ` · last import: ${counters.map(([k, v]) => `${formatNumber(v)} ${words(k)}`).join(", ")}` : ""}
            </p>
            {s.lastError ? (
              <p className="mt-1 text-xs text-danger" role="note" data-testid={`feed-error-${s.name}`}>
                {s.lastError}
              </p>
            ) : null}
            {issueCount > 0 ? (
              <details className="mt-1 text-xs">
                <summary className="cursor-pointer text-warn">
                  {formatNumber(issueCount)} {issueCount === 1 ? "record" : "records"} skipped or with warnings
                </summary>
                <ul className="mt-1 list-disc space-y-0.5 pl-5 text-muted">
                  {issues.map((i, n) => (
                    <li key={n}>
                      {typeof i.id === "string" ? <code>{i.id}</code> : null} {typeof i.message === "string" ? i.message : ""}
                    </li>
                  ))}
                  {issueCount > issues.length ? <li>… and {formatNumber(issueCount - issues.length)} more</li> : null}
                </ul>
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
