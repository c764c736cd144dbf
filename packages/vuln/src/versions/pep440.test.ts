// Vectors: pypa/packaging tests/test_version.py (Apache-2.0 OR BSD-2-Clause): the sorted VERSIONS
// list (test/fixtures/versions/packaging-versions.txt), invalid and normalised versions.
// See packages/vuln/NOTICE.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Pep440Version, comparePep440, parsePep440 } from "./pep440.ts";

const sorted = readFileSync(new URL("../../test/fixtures/versions/packaging-versions.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("#"));

function p(s: string): Pep440Version {
  const v = parsePep440(s);
  if (v === null) throw new Error(`unparsable PEP 440 version ${s}`);
  return v;
}

describe("pep440: packaging VERSIONS", () => {
  it("has the 92 versions", () => {
    expect(sorted.length).toBe(92);
  });

  it("orders every pair as listed", () => {
    const parsed = sorted.map(p);
    for (let i = 0; i < parsed.length; i++) {
      for (let j = 0; j < parsed.length; j++) {
        const got = comparePep440(parsed[i] as Pep440Version, parsed[j] as Pep440Version);
        if (got !== Math.sign(i - j)) expect([sorted[i], sorted[j], got]).toEqual([sorted[i], sorted[j], Math.sign(i - j)]);
      }
    }
  });
});

describe("pep440: packaging test_invalid_versions", () => {
  it.each([
    "french toast",
    "1.0+a+",
    "1.0++",
    "1.0+_foobar",
    "1.0+foo&asd",
    "1.0+1+1",
    "1. 0",
    "1 .0",
    "1. 0a1",
    "1 .0a1",
    "1.0 a1",
    "1.0a 1",
    "٠١٢.٣٤٥.٦٧٨٩",
    ".",
    "..",
    "1..0",
    "1.0.",
    ".1.0",
    "1..2.3",
    "1.0+\u0130",
  ])("rejects %j", (s) => {
    expect(parsePep440(s)).toBeNull();
  });
});

describe("pep440: packaging test_normalized_versions (normalised form compares equal)", () => {
  it.each([
    ["1.0dev", "1.0.dev0"],
    ["1.0.dev", "1.0.dev0"],
    ["1.0dev1", "1.0.dev1"],
    ["1.0-dev", "1.0.dev0"],
    ["1.0-dev1", "1.0.dev1"],
    ["1.0DEV", "1.0.dev0"],
    ["1.0.DEV1", "1.0.dev1"],
    ["1.0a", "1.0a0"],
    ["1.0.a1", "1.0a1"],
    ["1.0-alpha1", "1.0a1"],
    ["1.0ALPHA", "1.0a0"],
    ["1.0b", "1.0b0"],
    ["1.0-beta1", "1.0b1"],
    ["1.0.BETA", "1.0b0"],
    ["1.0c", "1.0rc0"],
    ["1.0.c1", "1.0rc1"],
    ["1.0-rc1", "1.0rc1"],
    ["1.0RC", "1.0rc0"],
    ["1.0post", "1.0.post0"],
    ["1.0post1", "1.0.post1"],
    ["1.0-POST1", "1.0.post1"],
    ["1.0r", "1.0.post0"],
    ["1.0rev", "1.0.post0"],
    ["1.0.r1", "1.0.post1"],
    ["1.0-5", "1.0.post5"],
    ["1.0-r5", "1.0.post5"],
    ["1.0-rev5", "1.0.post5"],
    ["1.0+AbC", "1.0+abc"],
    ["1.01", "1.1"],
    ["1.0a05", "1.0a5"],
    ["1.0b07", "1.0b7"],
    ["1.0c056", "1.0rc56"],
    ["1.0rc09", "1.0rc9"],
    ["1.0.post000", "1.0.post0"],
    ["1.1.dev09000", "1.1.dev9000"],
    ["00!1.2", "1.2"],
    ["0100!0.0", "100!0.0"],
    ["v1.0", "1.0"],
    ["   v1.0\t\n", "1.0"],
  ])("%j == %j", (a, b) => {
    expect(comparePep440(p(a), p(b))).toBe(0);
  });

  it("test_version_rc_and_c_equals, trailing zeros", () => {
    expect(comparePep440(p("1.0rc1"), p("1.0c1"))).toBe(0);
    expect(comparePep440(p("1.0"), p("1.0.0.0"))).toBe(0);
    expect(comparePep440(p("0!1.0.2"), p("1.0.2"))).toBe(0);
  });
});
