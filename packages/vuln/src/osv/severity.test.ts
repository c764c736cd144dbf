import { describe, expect, it } from "vitest";
import type { ParseOsvResult } from "../types.ts";
import { parseOsvRecord } from "./parse-record.ts";
import { severityFromLabel } from "./severity.ts";

const BASE = { id: "GHSA-aaaa-bbbb-cccc", modified: "2024-05-01T10:00:00Z" };
const V31_CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const V31_MED = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N";
const V40_93 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
const V40_85 = "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
const PKG = { package: { ecosystem: "npm", name: "x" } };

function result(record: Record<string, unknown>) {
  const r: ParseOsvResult = parseOsvRecord({ ...BASE, ...record });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const { severity, cvssScore, cvssVector } = r.advisory;
  return { severity, cvssScore, cvssVector, warnings: r.warnings };
}

describe("advisory severity", () => {
  it("scores a CVSS v3.1 vector and rates it", () => {
    expect(result({ severity: [{ type: "CVSS_V3", score: V31_MED }] })).toEqual({
      severity: "MEDIUM",
      cvssScore: 6.1,
      cvssVector: V31_MED,
      warnings: [],
    });
  });

  it("prefers the newest CVSS version over a higher older score", () => {
    const r = result({ severity: [{ type: "CVSS_V3", score: V31_CRIT }, { type: "CVSS_V4", score: V40_85 }] });
    expect(r).toMatchObject({ severity: "HIGH", cvssScore: 8.5, cvssVector: V40_85 });
  });

  it("takes the worst vector of the newest version, including affected[].severity", () => {
    const r = result({
      affected: [
        { ...PKG, severity: [{ type: "CVSS_V4", score: V40_85 }] },
        { ...PKG, severity: [{ type: "CVSS_V4", score: V40_93 }, { type: "CVSS_V2", score: "AV:N/AC:L/Au:N/C:C/I:C/A:C" }] },
      ],
    });
    expect(r).toMatchObject({ severity: "CRITICAL", cvssScore: 9.3, cvssVector: V40_93 });
  });

  it("falls back to the next vector when the newest is unusable, with a warning", () => {
    const r = result({ severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AV:N" }, { type: "CVSS_V3", score: V31_CRIT }] });
    expect(r).toEqual({
      severity: "CRITICAL",
      cvssScore: 9.8,
      cvssVector: V31_CRIT,
      warnings: [{ path: ["severity", 0, "score"], message: "not a valid CVSS_V4 vector; ignored" }],
    });
  });

  it("falls back to GHSA database_specific.severity (MODERATE → MEDIUM) when no vector scores", () => {
    const r = result({ severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N" }], database_specific: { severity: "MODERATE" } });
    expect(r).toEqual({
      severity: "MEDIUM",
      cvssScore: null,
      cvssVector: null,
      warnings: [{ path: ["severity", 0, "score"], message: "CVSS_V3 vector lacks base metrics; ignored" }],
    });
  });

  it("uses a top-level Ubuntu priority after database_specific", () => {
    expect(result({ severity: [{ type: "Ubuntu", score: "high" }] })).toMatchObject({ severity: "HIGH", cvssScore: null });
    expect(result({ severity: [{ type: "Ubuntu", score: "high" }], database_specific: { severity: "LOW" } })).toMatchObject({
      severity: "LOW",
    });
  });

  it("falls back to the worst per-package rating (ecosystem_specific / database_specific, severity / urgency)", () => {
    const r = result({
      affected: [
        { ...PKG, ecosystem_specific: { urgency: "low**" } },
        { ...PKG, database_specific: { severity: "high" } },
        { ...PKG, ecosystem_specific: { severity: "medium" } },
        { ...PKG, ecosystem_specific: { urgency: "not yet assigned" } },
      ],
    });
    expect(r).toEqual({ severity: "HIGH", cvssScore: null, cvssVector: null, warnings: [] });
  });

  it("has no severity without any source and warns about unknown severity types", () => {
    expect(result({ severity: [{ type: "OWASP", score: "9" }] })).toEqual({
      severity: null,
      cvssScore: null,
      cvssVector: null,
      warnings: [{ path: ["severity", 0, "type"], message: 'unknown severity type "OWASP"; ignored' }],
    });
  });

  it("rates a zero score INFO", () => {
    expect(result({ severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N" }] })).toMatchObject({
      severity: "INFO",
      cvssScore: 0,
    });
  });
});

describe("severityFromLabel", () => {
  it.each([
    ["CRITICAL", "CRITICAL"],
    ["MODERATE", "MEDIUM"],
    ["Important", "HIGH"],
    ["negligible", "LOW"],
    ["unimportant", "LOW"],
    ["medium*", "MEDIUM"],
    ["none", "INFO"],
    ["untriaged", null],
    ["end-of-life", null],
    ["constructor", null],
    [3, null],
  ] as const)("%s → %s", (label, severity) => {
    expect(severityFromLabel(label)).toBe(severity);
  });
});
