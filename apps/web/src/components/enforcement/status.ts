// Health and drift of an enforcement point, as plain data so pages and tests share one rule set.
// Every state has a text label: colour only reinforces it.

export const HEALTHY_WITHIN_MS = 2 * 60_000;
export const STALE_WITHIN_MS = 10 * 60_000;

export type Tone = "ok" | "warn" | "danger" | "muted";

export type HealthState = "healthy" | "stale" | "down" | "never";

export interface Health {
  state: HealthState;
  label: string;
  tone: Tone;
}

/** Healthy under 2 minutes since the last heartbeat, stale under 10, down after; "never" without one. */
export function classifyHealth(lastHeartbeatAt: Date | string | null | undefined, now: Date): Health {
  if (!lastHeartbeatAt) return { state: "never", label: "Never seen", tone: "muted" };
  const at = typeof lastHeartbeatAt === "string" ? new Date(lastHeartbeatAt) : lastHeartbeatAt;
  if (Number.isNaN(at.getTime())) return { state: "never", label: "Never seen", tone: "muted" };
  // A heartbeat stamped slightly in the future (clock skew) is as fresh as one stamped now.
  const age = Math.max(0, now.getTime() - at.getTime());
  if (age < HEALTHY_WITHIN_MS) return { state: "healthy", label: "Healthy", tone: "ok" };
  if (age < STALE_WITHIN_MS) return { state: "stale", label: "Stale", tone: "warn" };
  return { state: "down", label: "Down", tone: "danger" };
}

export type DriftState = "current" | "behind" | "ahead" | "no-bundle" | "unknown";

export interface Drift {
  state: DriftState;
  label: string;
  tone: Tone;
  /** Versions behind the current bundle (0 unless `behind`). */
  behind: number;
}

/**
 * Running bundle version against the organization's current one. `ahead` cannot happen with one
 * server and one organization; it means the point reports a version this server never issued (a
 * different Bulwark, or a restored database) and deserves a look.
 */
export function classifyDrift(running: number | null | undefined, current: number | null | undefined): Drift {
  if (running === null || running === undefined) return { state: "no-bundle", label: "No bundle yet", tone: "warn", behind: 0 };
  if (current === null || current === undefined) return { state: "unknown", label: `Runs v${running}`, tone: "muted", behind: 0 };
  if (running === current) return { state: "current", label: "Up to date", tone: "ok", behind: 0 };
  if (running < current) {
    const n = current - running;
    return { state: "behind", label: `${n} ${n === 1 ? "version" : "versions"} behind`, tone: n === 1 ? "warn" : "danger", behind: n };
  }
  return { state: "ahead", label: `Ahead of current (v${current})`, tone: "warn", behind: 0 };
}
