import { describe, expect, it } from "vitest";
import { parseRiskFactors, riskBand } from "./risk.ts";
import { describeTrigger, fromApi, isActive, progressPercent, runStatus, statsSummary, type ScanRunItem } from "./scan-run.ts";

const run: ScanRunItem = {
  id: "r1",
  kind: "FULL",
  status: "RUNNING",
  trigger: "user:ana@acme.io",
  targetLabel: null,
  total: 10,
  done: 3,
  stats: {},
  error: null,
  startedAt: "2026-11-29T10:00:00.000Z",
  finishedAt: null,
};

describe("scan run display", () => {
  it("labels every status in words", () => {
    expect(runStatus("QUEUED")).toEqual({ label: "Queued", tone: "muted" });
    expect(runStatus("SUCCEEDED")).toEqual({ label: "Succeeded", tone: "ok" });
    expect(runStatus("FAILED").tone).toBe("danger");
    expect(runStatus("SOMETHING_NEW").label).toBe("Something New");
    expect(isActive("RUNNING") && isActive("QUEUED") && !isActive("SUCCEEDED") && !isActive("FAILED")).toBe(true);
  });

  it("computes progress without reaching 100 % early or dividing by zero", () => {
    expect(progressPercent(3, 10)).toBe(30);
    expect(progressPercent(999, 1000)).toBe(99);
    expect(progressPercent(10, 10)).toBe(100);
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(12, 10)).toBe(100);
  });

  it("names triggers", () => {
    expect(describeTrigger("user:ana@acme.io")).toBe("ana@acme.io");
    expect(describeTrigger("schedule:2026-11-29T03:00:00.000Z")).toBe("Schedule");
    expect(describeTrigger("advisory-sync")).toBe("advisory-sync");
  });

  it("summarises stats, leaving zero counts out", () => {
    expect(statsSummary({ images: 12, candidates: 40, matched: 5, opened: 3, reopened: 0, resolved: 1, rowsWritten: 9 })).toBe("12 images · 5 matched · 3 opened · 1 resolved");
    expect(statsSummary({ images: 0 })).toBe("0 images");
    expect(statsSummary({})).toBe("");
    expect(statsSummary(null)).toBe("");
    expect(statsSummary([1])).toBe("");
  });

  it("merges the API's JSON into the item, keeping the resolved target label", () => {
    const labelled = { ...run, targetLabel: "prod" };
    expect(fromApi({ id: "r1", status: "SUCCEEDED", total: 10, done: 10, stats: { images: 10 }, error: null, startedAt: run.startedAt, finishedAt: "2026-11-29T10:01:00.000Z" }, labelled)).toEqual({
      ...labelled,
      status: "SUCCEEDED",
      done: 10,
      stats: { images: 10 },
      finishedAt: "2026-11-29T10:01:00.000Z",
    });
    expect(fromApi({ id: "other", status: "RUNNING" }, run)).toBeNull();
    expect(fromApi("nope", run)).toBeNull();
  });
});

describe("risk factors", () => {
  it("reads stored factors defensively, highest points first", () => {
    expect(
      parseRiskFactors([
        { key: "exposure", points: 10, reason: "Reachable from outside the cluster: LoadBalancer web" },
        { key: "known-exploited", points: 30, reason: "1 open vulnerability known to be exploited in the wild" },
        { key: "broken", points: "many" },
        null,
      ]),
    ).toEqual([
      { key: "known-exploited", points: 30, reason: "1 open vulnerability known to be exploited in the wild" },
      { key: "exposure", points: 10, reason: "Reachable from outside the cluster: LoadBalancer web" },
    ]);
    expect(parseRiskFactors({})).toEqual([]);
  });

  it("bands scores", () => {
    expect(riskBand(85).label).toBe("High");
    expect(riskBand(40).label).toBe("Elevated");
    expect(riskBand(12).label).toBe("Low");
  });
});
