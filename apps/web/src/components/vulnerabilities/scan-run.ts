import type { Tone } from "../enforcement/status.ts";
import { titleCase } from "../format.ts";

// A re-match run as the page and the progress poller both see it: plain data (dates as ISO strings)
// so the server can hand it to the client component and the poller can replace it with the API's JSON.

export type ScanRunStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

export interface ScanRunItem {
  id: string;
  kind: string;
  status: ScanRunStatus;
  trigger: string;
  /** Cluster name or image reference of an IMAGE/CLUSTER run, when it still exists. */
  targetLabel: string | null;
  total: number;
  done: number;
  stats: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const STATUS: Record<ScanRunStatus, { label: string; tone: Tone }> = {
  QUEUED: { label: "Queued", tone: "muted" },
  RUNNING: { label: "Running", tone: "warn" },
  SUCCEEDED: { label: "Succeeded", tone: "ok" },
  FAILED: { label: "Failed", tone: "danger" },
};

export function runStatus(status: string): { label: string; tone: Tone } {
  return STATUS[status as ScanRunStatus] ?? { label: titleCase(status), tone: "muted" };
}

export function isActive(status: string): boolean {
  return status === "QUEUED" || status === "RUNNING";
}

/** 0–100, rounded down so a bar never shows 100 % before the last image is done. */
export function progressPercent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** "user:ana@acme.io" → "ana@acme.io"; "schedule:2026-…" → "Schedule"; anything else as written. */
export function describeTrigger(trigger: string): string {
  if (trigger.startsWith("user:")) return trigger.slice(5);
  if (trigger.startsWith("schedule:")) return "Schedule";
  return trigger;
}

const STAT_LABELS: [key: string, label: string][] = [
  ["images", "images"],
  ["matched", "matched"],
  ["opened", "opened"],
  ["reopened", "reopened"],
  ["updated", "updated"],
  ["resolved", "resolved"],
  ["unparsableVersions", "unparsable versions"],
];

/** The stats worth a glance ("12 images · 3 opened · 1 resolved"); zero counts are left out. */
export function statsSummary(stats: unknown): string {
  if (!stats || typeof stats !== "object" || Array.isArray(stats)) return "";
  const s = stats as Record<string, unknown>;
  return STAT_LABELS.flatMap(([key, label]) => {
    const v = s[key];
    return typeof v === "number" && Number.isFinite(v) && (v > 0 || key === "images") ? [`${v.toLocaleString("en-US")} ${label}`] : [];
  }).join(" · ");
}

/** The API's JSON for one run (GET /api/v1/scan-runs/{id}) as an item, keeping the label the page resolved. */
export function fromApi(json: unknown, previous: ScanRunItem): ScanRunItem | null {
  if (!json || typeof json !== "object") return null;
  const o = json as Record<string, unknown>;
  if (o.id !== previous.id || typeof o.status !== "string") return null;
  const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
  return {
    ...previous,
    status: o.status as ScanRunStatus,
    total: num(o.total, previous.total),
    done: num(o.done, previous.done),
    stats: o.stats ?? previous.stats,
    error: typeof o.error === "string" ? o.error : null,
    startedAt: typeof o.startedAt === "string" ? o.startedAt : previous.startedAt,
    finishedAt: typeof o.finishedAt === "string" ? o.finishedAt : null,
  };
}
