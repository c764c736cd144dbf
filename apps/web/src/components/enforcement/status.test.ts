import { describe, expect, it } from "vitest";
import { formatAge, truncate } from "../format.ts";
import { classifyDrift, classifyHealth } from "./status.ts";

const now = new Date("2026-11-29T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("enforcement point health", () => {
  it("is healthy under two minutes, stale under ten, down after", () => {
    expect(classifyHealth(ago(0), now).state).toBe("healthy");
    expect(classifyHealth(ago(119_999), now).state).toBe("healthy");
    expect(classifyHealth(ago(120_000), now).state).toBe("stale");
    expect(classifyHealth(ago(599_999), now).state).toBe("stale");
    expect(classifyHealth(ago(600_000), now).state).toBe("down");
    expect(classifyHealth(ago(86_400_000), now)).toEqual({ state: "down", label: "Down", tone: "danger" });
  });

  it("reads 'never' without a heartbeat and treats a future stamp (clock skew) as fresh", () => {
    expect(classifyHealth(null, now)).toEqual({ state: "never", label: "Never seen", tone: "muted" });
    expect(classifyHealth(undefined, now).state).toBe("never");
    expect(classifyHealth("not a date", now).state).toBe("never");
    expect(classifyHealth(new Date(now.getTime() + 30_000), now).state).toBe("healthy");
    expect(classifyHealth(ago(30_000).toISOString(), now).state).toBe("healthy");
  });

  it("gives every state a text label, not only a colour", () => {
    for (const ms of [0, 300_000, 900_000]) expect(classifyHealth(ago(ms), now).label).toMatch(/^(Healthy|Stale|Down)$/);
  });
});

describe("bundle drift", () => {
  it("compares the running version with the current one", () => {
    expect(classifyDrift(7, 7)).toMatchObject({ state: "current", label: "Up to date", behind: 0 });
    expect(classifyDrift(6, 7)).toMatchObject({ state: "behind", label: "1 version behind", behind: 1, tone: "warn" });
    expect(classifyDrift(2, 7)).toMatchObject({ state: "behind", label: "5 versions behind", behind: 5, tone: "danger" });
  });

  it("names points without a bundle, unknown current versions and versions this server never issued", () => {
    expect(classifyDrift(null, 7)).toMatchObject({ state: "no-bundle", label: "No bundle yet" });
    expect(classifyDrift(undefined, null).state).toBe("no-bundle");
    expect(classifyDrift(3, null)).toMatchObject({ state: "unknown", label: "Runs v3" });
    expect(classifyDrift(9, 7)).toMatchObject({ state: "ahead", label: "Ahead of current (v7)" });
  });
});

describe("format helpers", () => {
  it("formats ages coarsely and deterministically", () => {
    expect(formatAge(null, now)).toBe("never");
    expect(formatAge(ago(1_000), now)).toBe("just now");
    expect(formatAge(ago(42_000), now)).toBe("42 s ago");
    expect(formatAge(ago(5 * 60_000 + 10_000), now)).toBe("5 min ago");
    expect(formatAge(ago(3 * 3_600_000), now)).toBe("3 h ago");
    expect(formatAge(ago(2 * 86_400_000).toISOString(), now)).toBe("2 d ago");
    expect(formatAge(new Date(now.getTime() + 60_000), now)).toBe("just now");
  });

  it("truncates with an ellipsis only when needed", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("exactly10!", 10)).toBe("exactly10!");
    expect(truncate("a much longer message", 10)).toBe("a much lo…");
    expect(truncate("a much longer message", 10).length).toBeLessThanOrEqual(10);
  });
});
