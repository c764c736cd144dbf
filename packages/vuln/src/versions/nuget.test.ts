// Vectors: NuGet.Client test/NuGet.Core.Tests/NuGet.Versioning.Test (VersionComparerTests.cs,
// NuGetVersionTest.cs, SemVer201SpecTests.cs; Apache-2.0). See packages/vuln/NOTICE.
import { describe, expect, it } from "vitest";
import { type NuGetVersion, compareNuGetVersions, parseNuGetVersion } from "./nuget.ts";

function p(s: string): NuGetVersion {
  const v = parseNuGetVersion(s);
  if (v === null) throw new Error(`unparsable NuGet version ${s}`);
  return v;
}

const cmp = (a: string, b: string): number => compareNuGetVersions(p(a), p(b));

describe("nuget: VersionComparerTests", () => {
  it.each([
    ["1.0.0", "1.0.0"],
    ["1.0.0-BETA", "1.0.0-beta"],
    ["1.0.0-BETA+AA", "1.0.0-beta+aa"],
    ["1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"],
  ])("VersionComparisonDefaultEqual %s %s", (a, b) => {
    expect(cmp(a, b)).toBe(0);
    expect(cmp(b, a)).toBe(0);
  });

  // VersionComparisonDefaultNotEqual is not ported: upstream compares the version *strings* there
  // ("1.0.0-BETA+AA" vs "1.0.0-beta" are equal versions), so it says nothing about ordering.

  it.each([
    ["0.0.0", "1.0.0"],
    ["1.0.0", "1.1.0"],
    ["1.0.0", "1.0.1"],
    ["1.999.9999", "2.1.1"],
    ["1.0.0-BETA", "1.0.0-beta2"],
    ["1.0.0-beta+AA", "1.0.0+aa"],
    ["1.0.0-BETA", "1.0.0-beta.1+AA"],
    ["1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"],
    ["1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc"],
  ])("VersionComparisonDefaultLess %s < %s", (a, b) => {
    expect(cmp(a, b)).toBe(-1);
    expect(cmp(b, a)).toBe(1);
  });
});

describe("nuget: NuGetVersionTest", () => {
  it.each([
    "1beta",
    "$version$",
    "1.2Av^c",
    "1.2..",
    "1.2.3.4.5",
    "1.2.3.Beta",
    "1.2.3.4This version is full of awesomeness!!",
    "So.is.this",
    "1.34.2Alpha",
    "1.34.2Release Candidate",
    "1.4.7-",
    "1.4.7-*",
    "1.4.7+*",
    "1.4.7-AA.01^",
    "1.4.7-AA.0A^",
    "1.4.7-A^A",
    "1.4.7+AA.01^",
  ])("ParseThrowsIfStringIsNotAValidSemVer %j", (s) => {
    expect(parseNuGetVersion(s)).toBeNull();
  });

  it("reads legacy and hybrid versions, ignoring surrounding whitespace", () => {
    expect(p("1.022").parts).toEqual(["1", "22", "0", "0"]);
    expect(p("1.3.42.10133").parts).toEqual(["1", "3", "42", "10133"]);
    expect(p("1.3.42.200930-RC-2").labels).toEqual(["RC-2"]);
    expect(cmp("  1.022-Beta", "1.22.0.0-Beta")).toBe(0);
    expect(cmp("    1.3.42.10133-PreRelease  ", "1.3.42.10133-PreRelease")).toBe(0);
    expect(p("3.4.0.3-RC-3").labels).toEqual(["RC-3"]);
    expect(p("1.0.0-beta.x.y.5.79.0+aa").labels).toEqual(["beta", "x", "y", "5", "79", "0"]);
  });

  it.each([
    ["1.0", "1.0.1"],
    ["1.23", "1.231"],
    ["1.4.5.6", "1.45.6"],
    ["1.4.5.6", "1.4.5.60"],
    ["1.01", "1.10"],
    ["1.01-alpha", "1.10-beta"],
    ["1.01.0-RC-1", "1.10.0-rc-2"],
    ["1.01-RC-1", "1.01"],
    ["1.01", "1.2-preview"],
  ])("SemVerLessThanAndGreaterThanOperatorsWorks %s < %s", (a, b) => {
    expect(cmp(a, b)).toBe(-1);
    expect(cmp(b, a)).toBe(1);
  });

  it.each([
    ["1.0", "1.0.0.0"],
    ["1.23.01", "1.23.1"],
    ["1.45.6", "1.45.6.0"],
    ["1.45.6-Alpha", "1.45.6-Alpha"],
    ["1.6.2-BeTa", "1.6.02-beta"],
    ["22.3.07     ", "22.3.07"],
  ])("SemVerEqualsOperatorWorks %j == %j", (a, b) => {
    expect(cmp(a, b)).toBe(0);
  });
});

describe("nuget: SemVer201SpecTests (ordering and label validity)", () => {
  it.each([
    ["1.2.3", "1.2.4"],
    ["1.2.3", "2.0.0"],
    ["9.9.9", "10.1.1"],
    ["1.2.3-alpha", "1.2.3"],
    ["1.2.3-2", "1.2.3-3"],
    ["1.2.3-1.9", "1.2.3-1.50"],
    ["1.2.3-2A", "1.2.3-3A"],
    ["1.2.3-1.50A", "1.2.3-1.9A"],
    ["1.2.3-999999", "1.2.3-Z"],
    ["1.2.3-A.999999", "1.2.3-A.56-2"],
    ["1.2.3-a", "1.2.3-a.2"],
    ["1.2.3-a.2.3.4", "1.2.3-a.2.3.4.5"],
  ])("%s < %s", (a, b) => {
    expect(cmp(a, b)).toBe(-1);
  });

  it("ignores release label casing", () => {
    expect(cmp("1.2.3-a", "1.2.3-A")).toBe(0);
    expect(cmp("1.2.3-A-b2-C", "1.2.3-a-B2-c")).toBe(0);
  });

  it.each(["0.1.2-Alpha", "0.1.2-Alpha-2-5Bdd", "0.1.2--", "0.1.2--B-C-", "0.1.2--B2.-.C.-A0-", "0.1.2+NoReleaseLabel", "0.1.2+-", "0.1.2----+----"])(
    "accepts %j",
    (s) => {
      expect(parseNuGetVersion(s)).not.toBeNull();
    },
  );

  it.each(["0.1.2-Alpha..2", "0.1.2-Alpha.", "0.1.2-.AA", "0.1.2-", "0.1.2-alp=ha", "0.1.2-a&444", "0.1.2+ÄÄ", "0.1.2+2+A", "0.1.2+02A.", "0.1.2+", "X.2.3", "-1.2.3"])(
    "rejects %j",
    (s) => {
      expect(parseNuGetVersion(s)).toBeNull();
    },
  );
});
