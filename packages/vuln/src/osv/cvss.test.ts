import { describe, expect, it } from "vitest";
import { scoreCvssVector, severityFromScore } from "./cvss.ts";

// Expected base scores are the published ones (FIRST specification examples and calculators, NVD).
describe("scoreCvssVector", () => {
  it.each([
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.1", 9.8],
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "3.1", 6.1],
    ["CVSS_V3", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "3.1", 7.8],
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "3.1", 0],
    ["CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.0", 9.8],
    ["CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "4.0", 9.3],
    ["CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "4.0", 10],
    ["CVSS_V4", "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "4.0", 8.5],
    ["CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", "4.0", 0],
    ["CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", "2.0", 7.5],
    ["CVSS_V2", "AV:N/AC:M/Au:N/C:N/I:P/A:N", "2.0", 4.3],
  ] as const)("%s %s → %s", (type, vector, version, score) => {
    expect(scoreCvssVector(type, vector)).toEqual({ ok: true, version, baseScore: score, vector });
  });

  it("scores the base, not threat or environmental metrics", () => {
    const v3 = scoreCvssVector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
    expect(v3).toMatchObject({ ok: true, baseScore: 9.8 });
    const v4 = scoreCvssVector("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MSI:S/U:Clear");
    expect(v4).toMatchObject({ ok: true, baseScore: 9.3 });
  });

  it.each([
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L", "lacks base metrics"],
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L", "repeats a metric"],
    ["CVSS_V3", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not a valid"],
    ["CVSS_V3", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "not a valid"],
    ["CVSS_V4", "CVSS:4.0/AV:N/AC:L", "not a valid"],
    ["CVSS_V2", "AV:N/AC:L/Au:N", "lacks base metrics"],
    ["CVSS_V2", "garbage", "not a valid"],
  ] as const)("rejects %s %s", (type, vector, message) => {
    const r = scoreCvssVector(type, vector);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
});

describe("severityFromScore (FIRST qualitative scale)", () => {
  it.each([
    [0, "INFO"],
    [0.1, "LOW"],
    [3.9, "LOW"],
    [4, "MEDIUM"],
    [6.9, "MEDIUM"],
    [7, "HIGH"],
    [8.9, "HIGH"],
    [9, "CRITICAL"],
    [10, "CRITICAL"],
  ] as const)("%s → %s", (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });
});
