import { describe, expect, it } from "vitest";
import { SEVERITY_LEVELS, isSeverity, severityFromCvss, severityFromFalcoPriority, severityFromScanner, severityRank } from "./severity.ts";

describe("severityFromCvss", () => {
  it.each([
    [10, "CRITICAL"],
    [9.0, "CRITICAL"],
    [8.9, "HIGH"],
    [7.0, "HIGH"],
    [6.9, "MEDIUM"],
    [4.0, "MEDIUM"],
    [3.9, "LOW"],
    [0.1, "LOW"],
    [0, "INFO"],
  ] as const)("%s → %s", (score, expected) => {
    expect(severityFromCvss(score)).toBe(expected);
  });

  it("rejects what is not a CVSS score", () => {
    for (const bad of [null, undefined, -1, 10.1, Number.NaN, Number.POSITIVE_INFINITY]) expect(severityFromCvss(bad)).toBeNull();
  });
});

describe("severityFromScanner", () => {
  it("maps scanner labels case-insensitively", () => {
    expect(severityFromScanner("critical")).toBe("CRITICAL");
    expect(severityFromScanner("HIGH")).toBe("HIGH");
    expect(severityFromScanner("Important")).toBe("HIGH");
    expect(severityFromScanner(" medium ")).toBe("MEDIUM");
    expect(severityFromScanner("moderate")).toBe("MEDIUM");
    expect(severityFromScanner("LOW")).toBe("LOW");
    expect(severityFromScanner("negligible")).toBe("INFO");
  });

  it("falls back to the CVSS score for UNKNOWN or missing labels, and to INFO without a score", () => {
    expect(severityFromScanner("UNKNOWN", 9.8)).toBe("CRITICAL");
    expect(severityFromScanner(undefined, 5.3)).toBe("MEDIUM");
    expect(severityFromScanner(null, null)).toBe("INFO");
    expect(severityFromScanner("UNKNOWN")).toBe("INFO");
  });

  it("keeps the scanner's label over the score when both exist", () => {
    expect(severityFromScanner("LOW", 7.8)).toBe("LOW");
  });
});

describe("severityFromFalcoPriority", () => {
  it.each([
    ["Emergency", "CRITICAL"],
    ["ALERT", "CRITICAL"],
    ["critical", "CRITICAL"],
    ["Error", "HIGH"],
    ["Warning", "MEDIUM"],
    ["notice", "LOW"],
    ["Informational", "INFO"],
    ["Info", "INFO"],
    ["DEBUG", "INFO"],
  ] as const)("%s → %s", (p, expected) => {
    expect(severityFromFalcoPriority(p)).toBe(expected);
  });

  it("returns null for priorities Falco does not define", () => {
    expect(severityFromFalcoPriority("Severe")).toBeNull();
    expect(severityFromFalcoPriority("")).toBeNull();
  });
});

describe("helpers", () => {
  it("orders severities and recognises them", () => {
    const ranks = SEVERITY_LEVELS.map(severityRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(isSeverity("HIGH")).toBe(true);
    expect(isSeverity("high")).toBe(false);
    expect(isSeverity(3)).toBe(false);
  });
});
