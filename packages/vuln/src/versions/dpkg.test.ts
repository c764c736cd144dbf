// Vectors: dpkg lib/dpkg/t/t-version.c (guillemj/dpkg, GPL-2.0-or-later) and the ordering example
// of Debian Policy §5.6.12 (GPL-2.0-or-later). See packages/vuln/NOTICE.
import { describe, expect, it } from "vitest";
import { type DpkgVersion, compareDpkgVersions, dpkgScheme, parseDpkgVersion } from "./dpkg.ts";

const v = (epoch: number, upstream: string, revision: string): DpkgVersion => ({ epoch, upstream, revision });

function cmp(a: string, b: string): number {
  const pa = parseDpkgVersion(a);
  const pb = parseDpkgVersion(b);
  if (pa === null || pb === null) throw new Error(`unparsable: ${a} / ${b}`);
  return compareDpkgVersions(pa, pb);
}

describe("dpkg: t-version.c test_version_compare", () => {
  it("orders objects like dpkg_version_compare", () => {
    expect(compareDpkgVersions(v(0, "", ""), v(0, "", ""))).toBe(0);
    expect(compareDpkgVersions(v(1, "", ""), v(2, "", ""))).not.toBe(0);
    expect(compareDpkgVersions(v(0, "1", "1"), v(0, "2", "1"))).not.toBe(0);
    expect(compareDpkgVersions(v(0, "1", "1"), v(0, "1", "2"))).not.toBe(0);
    // Version equality.
    expect(compareDpkgVersions(v(0, "0", "0"), v(0, "0", "0"))).toBe(0);
    expect(compareDpkgVersions(v(0, "0", "00"), v(0, "00", "0"))).toBe(0);
    expect(compareDpkgVersions(v(1, "2", "3"), v(1, "2", "3"))).toBe(0);
    // Epoch difference.
    expect(compareDpkgVersions(v(0, "0", "0"), v(1, "0", "0"))).toBe(-1);
    expect(compareDpkgVersions(v(1, "0", "0"), v(0, "0", "0"))).toBe(1);
    // Version component difference.
    expect(compareDpkgVersions(v(0, "a", "0"), v(0, "b", "0"))).toBe(-1);
    expect(compareDpkgVersions(v(0, "b", "0"), v(0, "a", "0"))).toBe(1);
    // Revision component difference.
    expect(compareDpkgVersions(v(0, "0", "a"), v(0, "0", "b"))).toBe(-1);
    expect(compareDpkgVersions(v(0, "0", "b"), v(0, "0", "a"))).toBe(1);
  });

  it("relates like dpkg_version_relate", () => {
    expect(compareDpkgVersions(v(0, "1", "1"), v(0, "1", "1"))).toBe(0);
    expect(compareDpkgVersions(v(0, "1", "1"), v(0, "2", "1"))).toBe(-1);
    expect(compareDpkgVersions(v(0, "2", "1"), v(0, "1", "1"))).toBe(1);
  });
});

describe("dpkg: t-version.c test_version_parse", () => {
  it.each<[string, DpkgVersion]>([
    ["0", v(0, "0", "")],
    ["0:0", v(0, "0", "")],
    ["0:0-", v(0, "0", "")],
    ["0:0-0", v(0, "0", "0")],
    ["0:0.0-0.0", v(0, "0.0", "0.0")],
    ["1:0", v(1, "0", "")],
    ["5:1", v(5, "1", "")],
    ["0:0-0-0", v(0, "0-0", "0")],
    ["0:0-0-0-0", v(0, "0-0-0", "0")],
    ["0:0:0-0", v(0, "0:0", "0")],
    ["0:0:0:0-0", v(0, "0:0:0", "0")],
    ["0:0:0-0-0", v(0, "0:0-0", "0")],
    ["0:0-0:0-0", v(0, "0-0:0", "0")],
    ["0:09azAZ.-+~:-0", v(0, "09azAZ.-+~:", "0")],
    ["0:0-azAZ09.+~", v(0, "0", "azAZ09.+~")],
    ["  \t0:0-1", v(0, "0", "1")],
    ["0:0-1\t  ", v(0, "0", "1")],
    ["\t  0:0-1  \t", v(0, "0", "1")],
  ])("parses %j", (input, expected) => {
    const parsed = parseDpkgVersion(input);
    expect(parsed).not.toBeNull();
    expect(compareDpkgVersions(parsed as DpkgVersion, expected)).toBe(0);
  });

  const invalid = [
    "",
    "  ",
    "0:",
    "0:0 0-1",
    "-1:0-1",
    "999999999999999999999999:0-1",
    "a:0-0",
    "A:0-0",
    "-0",
    "0:-0",
    // dpkg only warns for these; rejected here (see parseDpkgVersion).
    "0:abc3-0",
    "0:0-0:0",
    ...[..."!#@$%&/|\\<>()[]{};,_=*^'"].map((c) => `0:0${c}-0`),
    ...[..."!#@$%&/|\\<>()[]{}:;,_=*^'"].map((c) => `0:0-${c}`),
  ];
  it.each(invalid)("rejects %j", (input) => {
    expect(parseDpkgVersion(input)).toBeNull();
  });
});

describe("dpkg: Debian Policy §5.6.12", () => {
  // "~~, ~~a, ~, the empty part, a" in sorted order, here as suffixes of an upstream version.
  const ordered = ["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"];
  it("sorts '~' before everything, even the end of the part", () => {
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(cmp(ordered[i] as string, ordered[j] as string)).toBe(Math.sign(i - j));
      }
    }
  });

  it("compares epoch first, a missing revision as empty, digits numerically", () => {
    expect(cmp("1:0.1", "2.0")).toBe(1);
    expect(cmp("1.0", "1.0-0")).toBe(0);
    expect(cmp("1.0~rc1-1", "1.0-1")).toBe(-1);
    expect(cmp("1.10", "1.9")).toBe(1);
    expect(cmp("1.0a", "1.0+")).toBe(-1); // letters before non-letters
    expect(cmp("1.0-1ubuntu0.1", "1.0-1")).toBe(1);
  });

  it("orders the DSA-3029-1 (nginx, wheezy) versions", () => {
    expect(cmp("1.2.1-2.2+wheezy2", "1.2.1-2.2+wheezy3")).toBe(-1);
    expect(cmp("1.2.1-2.2+deb7u1", "1.2.1-2.2+wheezy3")).toBe(-1);
    expect(cmp("1.2.1-2.2+wheezy3", "1.2.1-2.2+wheezy3")).toBe(0);
    expect(cmp("1.6.2-1", "1.2.1-2.2+wheezy3")).toBe(1);
  });

  it("exposes the scheme", () => {
    expect(dpkgScheme.name).toBe("dpkg");
    expect(dpkgScheme.parse("garbage version")).toBeNull();
  });
});
