import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildPolicyReports, policyReportsYaml, readPolicyResults } from "./policy-report.ts";

const at = new Date("2026-11-29T10:00:00.5Z");
const w = (id: string, namespace: string, policyResults: unknown, evaluatedAt: Date | null = at) => ({ id, namespace, apiVersion: "apps/v1", kind: "Deployment", name: id, uid: null, evaluatedAt, policyResults });

describe("buildPolicyReports", () => {
  it("one report per namespace, summary per result, warn unscored, unevaluated workloads without results", () => {
    const list = buildPolicyReports("prod", [
      w("a", "zeta", [
        { policy: "p1", title: "P1", severity: "INFO", category: "C", result: "warn", message: "m" },
        { policy: "p2", title: "P2", severity: "HIGH", category: "C", result: "skip", message: "Waived by exception e1" },
      ]),
      w("b", "alpha", [{ policy: "p1", title: "P1", severity: "LOW", category: "C", result: "pass" }]),
      w("c", "alpha", [{ policy: "p1", title: "P1", severity: "LOW", category: "C", result: "pass" }], null),
    ]);
    expect(list.items.map((r) => [r.metadata.name, r.summary])).toEqual([
      ["bulwark-alpha", { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 }],
      ["bulwark-zeta", { pass: 0, fail: 0, warn: 1, error: 0, skip: 1 }],
    ]);
    const warn = list.items[1]!.results[0]!;
    expect(warn).toMatchObject({ severity: "info", result: "warn", scored: false, message: "m", timestamp: { seconds: 1_795_946_400, nanos: 500_000_000 } });
    expect(warn.resources).toEqual([{ apiVersion: "apps/v1", kind: "Deployment", name: "a", namespace: "zeta" }]);
    // A pass result's message is the policy title.
    expect(list.items[0]!.results[0]!.message).toBe("P1");
    expect(parse(policyReportsYaml(list))).toEqual(JSON.parse(JSON.stringify(list)));
  });

  it("ignores stored entries of another shape", () => {
    expect(readPolicyResults([{ policy: "x", result: "maybe" }, null, "s", { policy: "y", result: "fail" }])).toEqual([{ policy: "y", result: "fail" }]);
    expect(readPolicyResults({})).toEqual([]);
  });
});
