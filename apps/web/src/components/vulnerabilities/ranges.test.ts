import { describe, expect, it } from "vitest";
import { affectedFromJson, describeRanges, rangeIntervals, referenceLinks } from "./ranges.ts";

describe("rangeIntervals", () => {
  it("reads introduced/fixed pairs as half-open intervals", () => {
    expect(rangeIntervals([{ introduced: "1.0.0" }, { fixed: "1.2.5" }])).toEqual(["≥ 1.0.0, < 1.2.5"]);
  });
  it("reads introduced 0 as from the first version", () => {
    expect(rangeIntervals([{ introduced: "0" }, { fixed: "2.0" }])).toEqual(["every version < 2.0"]);
  });
  it("reads last_affected as inclusive and limit as exclusive", () => {
    expect(rangeIntervals([{ introduced: "1.0" }, { last_affected: "1.4" }])).toEqual(["≥ 1.0, ≤ 1.4"]);
    expect(rangeIntervals([{ introduced: "1.0" }, { limit: "1.9" }])).toEqual(["≥ 1.0, < 1.9"]);
  });
  it("splits several intervals and flags an open one as unfixed", () => {
    expect(rangeIntervals([{ introduced: "0" }, { fixed: "1.1" }, { introduced: "2.0" }, { fixed: "2.3" }, { introduced: "3.0" }])).toEqual([
      "every version < 1.1",
      "≥ 2.0, < 2.3",
      "≥ 3.0 (no fix)",
    ]);
    expect(rangeIntervals([{ introduced: "0" }])).toEqual(["every version (no fix)"]);
  });
  it("treats a bound without an opening event as from the first version", () => {
    expect(rangeIntervals([{ fixed: "1.5" }])).toEqual(["every version < 1.5"]);
  });
  it("skips malformed events instead of throwing", () => {
    expect(rangeIntervals([null, 7, { introduced: 3 }, { introduced: "1" }, { other: "x" }, { fixed: "" }, { fixed: "2" }])).toEqual(["≥ 1, < 2"]);
    expect(rangeIntervals("nope")).toEqual([]);
  });
});

describe("describeRanges", () => {
  it("keeps type and repo, and drops ranges without intervals", () => {
    expect(
      describeRanges([
        { type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] },
        { type: "GIT", repo: "https://github.com/x/y", events: [{ introduced: "abc" }, { fixed: "def" }] },
        { type: "ECOSYSTEM", events: [] },
        "junk",
      ]),
    ).toEqual([
      { type: "SEMVER", repo: null, intervals: ["every version < 4.17.21"] },
      { type: "GIT", repo: "https://github.com/x/y", intervals: ["≥ abc, < def"] },
    ]);
  });
});

describe("affectedFromJson", () => {
  it("reads OSV entries with their fixed versions", () => {
    expect(
      affectedFromJson([{ package: { ecosystem: "npm", name: "lodash" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }], versions: ["4.17.20"] }]),
    ).toEqual([{ ecosystem: "npm", name: "lodash", ranges: [{ type: "SEMVER", repo: null, intervals: ["every version < 4.17.21"] }], versions: ["4.17.20"], fixedVersions: ["4.17.21"] }]);
  });
  it("reads the flat {ecosystem, package, fixed} shape", () => {
    expect(affectedFromJson([{ ecosystem: "Debian:12", package: "openssl", fixed: "3.0.13-1" }, { ecosystem: "npm", package: "x" }])).toEqual([
      { ecosystem: "Debian:12", name: "openssl", ranges: [{ type: "ECOSYSTEM", repo: null, intervals: ["every version < 3.0.13-1"] }], versions: [], fixedVersions: ["3.0.13-1"] },
      { ecosystem: "npm", name: "x", ranges: [{ type: "ECOSYSTEM", repo: null, intervals: ["every version (no fix)"] }], versions: [], fixedVersions: [] },
    ]);
  });
});

describe("referenceLinks", () => {
  it("keeps http(s) links only", () => {
    expect(
      referenceLinks([
        { type: "ADVISORY", url: "https://nvd.nist.gov/vuln/detail/CVE-2024-3094" },
        { type: "WEB", url: "javascript:alert(1)" },
        { type: "WEB", url: "data:text/html,hi" },
        { url: "http://example.com/x" },
        { type: "WEB", url: "https://" },
        "https://bare.example",
      ]),
    ).toEqual([
      { type: "ADVISORY", url: "https://nvd.nist.gov/vuln/detail/CVE-2024-3094" },
      { type: "WEB", url: "http://example.com/x" },
    ]);
  });
});
