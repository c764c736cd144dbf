import { describe, expect, it } from "vitest";
import { assessRisk, emptyRiskFacts, podSpecExposure } from "./score.ts";

describe("assessRisk", () => {
  it("scores nothing for a workload without facts", () => {
    expect(assessRisk(emptyRiskFacts())).toEqual({ score: 0, factors: [] });
  });

  it("explains every factor with its points, strongest first", () => {
    const r = assessRisk({
      ...emptyRiskFacts(),
      knownExploited: 1,
      fixableCritical: 3,
      fixableHigh: 4,
      privilegePolicies: ["no-privileged", "no-host-namespaces"],
      exposure: ["LoadBalancer checkout (443)"],
      runtimeCriticalHigh: 1,
      runtimeOther: 2,
    });
    expect(r.factors.map((f) => [f.key, f.points])).toEqual([
      ["known-exploited", 30],
      ["runtime-alerts", 25],
      ["privileges", 20],
      ["fixable-critical", 18],
      ["exposure", 15],
      ["fixable-high", 7],
    ]);
    expect(r.score).toBe(100);
    expect(r.factors.find((f) => f.key === "privileges")?.reason).toBe("Fails no-host-namespaces, no-privileged");
    expect(r.factors.find((f) => f.key === "runtime-alerts")?.reason).toBe("3 open runtime alerts (1 critical or high)");
    expect(r.factors.find((f) => f.key === "known-exploited")?.reason).toBe("1 open vulnerability known to be exploited in the wild");
  });

  it("caps growing counts so one factor cannot dominate", () => {
    const r = assessRisk({ ...emptyRiskFacts(), fixableCritical: 500, fixableHigh: 500 });
    expect(r.factors.map((f) => f.points)).toEqual([25, 15]);
    expect(r.score).toBe(40);
  });

  it("weighs NodePort/hostPort exposure below internet-facing load balancers", () => {
    expect(assessRisk({ ...emptyRiskFacts(), exposure: ["NodePort web (30080)"] }).score).toBe(10);
    expect(assessRisk({ ...emptyRiskFacts(), exposure: ["ExternalIP web (80)"] }).score).toBe(15);
  });
});

describe("podSpecExposure", () => {
  it("finds host network and host ports", () => {
    expect(podSpecExposure({ hostNetwork: true, containers: [{ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 9 }] }] })).toEqual(["hostNetwork", "hostPort 8080"]);
    expect(podSpecExposure({ containers: [{ ports: [{ containerPort: 80 }] }] })).toEqual([]);
    expect(podSpecExposure(null)).toEqual([]);
  });
});
