import { describe, expect, it } from "vitest";
import { describeRouting, matchesRouting, readRouting, routingSchema, type RoutableFinding } from "./routing.ts";

const runtimeHigh: RoutableFinding = { type: "RUNTIME", severity: "HIGH", cluster: "prod-eu", ruleId: "Terminal shell in container" };
const route = (input: unknown) => routingSchema.parse(input);

describe("notification routing", () => {
  it("an empty routing sends every alert", () => {
    expect(matchesRouting(route({}), runtimeHigh)).toBe(true);
    expect(matchesRouting(route({}), { type: "VULNERABILITY", severity: "INFO", cluster: null, ruleId: "CVE-2024-1" })).toBe(true);
    expect(describeRouting(route({}))).toBe("Every alert");
  });

  it("minSeverity keeps findings at least that severe", () => {
    const r = route({ minSeverity: "HIGH" });
    expect(matchesRouting(r, runtimeHigh)).toBe(true);
    expect(matchesRouting(r, { ...runtimeHigh, severity: "CRITICAL" })).toBe(true);
    expect(matchesRouting(r, { ...runtimeHigh, severity: "MEDIUM" })).toBe(false);
    expect(matchesRouting(route({ minSeverity: "INFO" }), { ...runtimeHigh, severity: "INFO" })).toBe(true);
  });

  it("types, clusters and policies each restrict, and all set criteria must match", () => {
    expect(matchesRouting(route({ types: ["POLICY_VIOLATION"] }), runtimeHigh)).toBe(false);
    expect(matchesRouting(route({ types: ["RUNTIME", "POLICY_VIOLATION"] }), runtimeHigh)).toBe(true);
    expect(matchesRouting(route({ clusters: ["prod-us"] }), runtimeHigh)).toBe(false);
    expect(matchesRouting(route({ clusters: ["prod-eu"] }), runtimeHigh)).toBe(true);
    // A finding outside any cluster never matches a cluster restriction.
    expect(matchesRouting(route({ clusters: ["prod-eu"] }), { ...runtimeHigh, cluster: null })).toBe(false);
    expect(matchesRouting(route({ policies: ["no-privileged"] }), runtimeHigh)).toBe(false);
    expect(matchesRouting(route({ policies: ["no-privileged"] }), { ...runtimeHigh, type: "POLICY_VIOLATION", ruleId: "no-privileged" })).toBe(true);
    const all = route({ minSeverity: "HIGH", types: ["RUNTIME"], clusters: ["prod-eu"], policies: ["Terminal shell in container"] });
    expect(matchesRouting(all, runtimeHigh)).toBe(true);
    expect(matchesRouting(all, { ...runtimeHigh, severity: "LOW" })).toBe(false);
    expect(describeRouting(all)).toBe("HIGH and above · RUNTIME · cluster prod-eu · rule Terminal shell in container");
  });

  it("normalizes lists (empty means unrestricted, duplicates dropped) and refuses unknown values with paths", () => {
    expect(route({ types: [], clusters: ["a", "a", " b "] })).toEqual({ clusters: ["a", "b"] });
    const bad = routingSchema.safeParse({ minSeverity: "SEVERE", types: ["RUNTIME", "NOPE"], extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["", "minSeverity", "types.1"]);
    expect(routingSchema.safeParse({ clusters: Array.from({ length: 101 }, (_, i) => `c${i}`) }).success).toBe(false);
  });

  it("reads stored routing, and unreadable routing routes nothing", () => {
    expect(readRouting(null)).toEqual({});
    expect(readRouting({ minSeverity: "LOW" })).toEqual({ minSeverity: "LOW" });
    expect(readRouting({ minSeverity: 3 })).toBeNull();
  });
});
