// Vectors: rpm tests/rpmvercmp.at (rpm-software-management/rpm, GPL-2.0-or-later), copied unchanged
// to test/fixtures/versions/rpmvercmp.at. See packages/vuln/NOTICE.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type RpmVersion, compareRpmVersions, parseRpmVersion, rpmvercmp } from "./rpm.ts";

const at = readFileSync(new URL("../../test/fixtures/versions/rpmvercmp.at", import.meta.url), "utf8");
// Active cases only: upstream keeps known-buggy behaviours in "dnl" (commented-out) lines.
const vectors = [...at.matchAll(/^RPMVERCMP\(([^,]*), ([^,]*), (-?\d)\)$/gm)].map((m) => ({
  a: m[1] as string,
  b: m[2] as string,
  expected: Number(m[3]),
}));

function evr(s: string): RpmVersion {
  const p = parseRpmVersion(s);
  if (p === null) throw new Error(`unparsable rpm version ${s}`);
  return p;
}

describe("rpm: tests/rpmvercmp.at", () => {
  it("reads every active vector", () => {
    expect(vectors.length).toBe(91);
  });

  it.each(vectors)("rpmvercmp($a, $b) = $expected", ({ a, b, expected }) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });
});

describe("rpm: epoch:version-release", () => {
  it("splits epoch, version and release like parseEVR", () => {
    expect(parseRpmVersion("1:2.3.4-5.el9")).toEqual({ epoch: "1", version: "2.3.4", release: "5.el9" });
    expect(parseRpmVersion("2.3.4-5.el9")).toEqual({ epoch: "0", version: "2.3.4", release: "5.el9" });
    expect(parseRpmVersion("007:1.0")).toEqual({ epoch: "7", version: "1.0", release: "" });
    expect(parseRpmVersion(":1.0-1")).toEqual({ epoch: "0", version: "1.0", release: "1" });
    expect(parseRpmVersion("1.0-2-3")).toEqual({ epoch: "0", version: "1.0-2", release: "3" });
  });

  it.each(["", " 1.0-1", "1.0-1 ", "a:1.0-1", "-1", "1.0-1:2", "+-1"])("rejects %j", (s) => {
    expect(parseRpmVersion(s)).toBeNull();
  });

  it("compares epoch, then version, then release", () => {
    expect(compareRpmVersions(evr("1:1.0-1"), evr("2.0-1"))).toBe(1);
    expect(compareRpmVersions(evr("0:1.0-1"), evr("1.0-1"))).toBe(0);
    expect(compareRpmVersions(evr("1.0-1.el9"), evr("1.0-2.el9"))).toBe(-1);
    expect(compareRpmVersions(evr("1.0-10.el9"), evr("1.0-9.el9_2"))).toBe(1);
    expect(compareRpmVersions(evr("2.0~rc1-1"), evr("2.0-1"))).toBe(-1);
    expect(compareRpmVersions(evr("3.0.7-24.el9"), evr("3.0.7-25.el9_3"))).toBe(-1);
    // A missing release is older than any release.
    expect(compareRpmVersions(evr("1.0"), evr("1.0-1"))).toBe(-1);
  });
});
