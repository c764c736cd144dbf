// Vectors: apache/maven ComparableVersionTest.java (compat/maven-artifact, commit a8a99e081971,
// Apache-2.0), ported test by test. See packages/vuln/NOTICE.
import { describe, expect, it } from "vitest";
import { type MavenVersion, compareMavenVersions, mavenCanonical, parseMavenVersion } from "./maven.ts";

// newComparable(): parse, and check that the canonical form re-parses to itself.
function newComparable(version: string): MavenVersion {
  const v = parseMavenVersion(version);
  if (v === null) throw new Error(`unparsable maven version ${version}`);
  const canonical = mavenCanonical(v);
  expect(mavenCanonical(parseMavenVersion(canonical) ?? v), `canonical(${version}) = ${canonical}`).toBe(canonical);
  return v;
}

function raw(version: string): MavenVersion {
  const v = parseMavenVersion(version);
  if (v === null) throw new Error(`unparsable maven version ${version}`);
  return v;
}

function checkVersionsOrder(v1: string, v2: string): void {
  const c1 = newComparable(v1);
  const c2 = newComparable(v2);
  expect(compareMavenVersions(c1, c2), `expected ${v1} < ${v2}`).toBe(-1);
  expect(compareMavenVersions(c2, c1), `expected ${v2} > ${v1}`).toBe(1);
}

function checkListOrder(versions: string[]): void {
  for (let i = 1; i < versions.length; i++) {
    for (let j = i; j < versions.length; j++) checkVersionsOrder(versions[i - 1] as string, versions[j] as string);
  }
}

function checkVersionsEqual(v1: string, v2: string): void {
  const c1 = newComparable(v1);
  const c2 = newComparable(v2);
  expect(compareMavenVersions(c1, c2), `expected ${v1} == ${v2}`).toBe(0);
  expect(compareMavenVersions(c2, c1), `expected ${v2} == ${v1}`).toBe(0);
  // ComparableVersion.equals compares the item lists; the canonical form is their rendering.
  expect(mavenCanonical(c1)).toBe(mavenCanonical(c2));
}

function checkVersionsHaveSameOrder(v1: string, v2: string): void {
  expect(compareMavenVersions(raw(v1), raw(v2)), `expected ${v1} == ${v2}`).toBe(0);
  expect(compareMavenVersions(raw(v2), raw(v1)), `expected ${v2} == ${v1}`).toBe(0);
}

const VERSIONS_QUALIFIER = [
  "1-alpha2snapshot",
  "1-alpha2",
  "1-alpha-123",
  "1-beta-2",
  "1-beta123",
  "1-m2",
  "1-m11",
  "1-rc",
  "1-cr2",
  "1-rc123",
  "1-SNAPSHOT",
  "1",
  "1-sp",
  "1-sp2",
  "1-sp123",
  "1-abc",
  "1-def",
  "1-pom-1",
  "1-1-snapshot",
  "1-1",
  "1-2",
  "1-123",
];

const VERSIONS_NUMBER = [
  "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2",
  "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
];

describe("maven: ComparableVersionTest", () => {
  it("testVersionsQualifier", () => checkListOrder(VERSIONS_QUALIFIER));
  it("testVersionsNumber", () => checkListOrder(VERSIONS_NUMBER));

  it("testVersionsEqual", () => {
    newComparable("1.0-alpha");
    checkVersionsEqual("1", "1");
    checkVersionsEqual("1", "1.0");
    checkVersionsEqual("1", "1.0.0");
    checkVersionsEqual("1.0", "1.0.0");
    checkVersionsEqual("1", "1-0");
    checkVersionsEqual("1", "1.0-0");
    checkVersionsEqual("1.0", "1.0-0");
    // no separator between number and character
    checkVersionsEqual("1a", "1-a");
    checkVersionsEqual("1a", "1.0-a");
    checkVersionsEqual("1a", "1.0.0-a");
    checkVersionsEqual("1.0a", "1-a");
    checkVersionsEqual("1.0.0a", "1-a");
    checkVersionsEqual("1x", "1-x");
    checkVersionsEqual("1x", "1.0-x");
    checkVersionsEqual("1x", "1.0.0-x");
    checkVersionsEqual("1.0x", "1-x");
    checkVersionsEqual("1.0.0x", "1-x");
    checkVersionsEqual("1cr", "1rc");
    // special "aliases" a, b and m for alpha, beta and milestone
    checkVersionsEqual("1a1", "1-alpha-1");
    checkVersionsEqual("1b2", "1-beta-2");
    checkVersionsEqual("1m3", "1-milestone-3");
    // case insensitive
    checkVersionsEqual("1X", "1x");
    checkVersionsEqual("1A", "1a");
    checkVersionsEqual("1B", "1b");
    checkVersionsEqual("1M", "1m");
    checkVersionsEqual("1Cr", "1Rc");
    checkVersionsEqual("1cR", "1rC");
    checkVersionsEqual("1m3", "1Milestone3");
    checkVersionsEqual("1m3", "1MileStone3");
    checkVersionsEqual("1m3", "1MILESTONE3");
  });

  it("testVersionsHaveSameOrderButAreNotEqual", () => {
    for (const v of ["1ga", "1release", "1final", "1Ga", "1GA", "1RELEASE", "1RELeaSE", "1Final", "1FinaL", "1FINAL"]) {
      checkVersionsHaveSameOrder(v, "1");
      expect(mavenCanonical(raw(v))).not.toBe(mavenCanonical(raw("1")));
    }
  });

  it("testVersionComparing", () => {
    checkVersionsOrder("1", "2");
    checkVersionsOrder("1.5", "2");
    checkVersionsOrder("1", "2.5");
    checkVersionsOrder("1.0", "1.1");
    checkVersionsOrder("1.1", "1.2");
    checkVersionsOrder("1.0.0", "1.1");
    checkVersionsOrder("1.0.1", "1.1");
    checkVersionsOrder("1.1", "1.2.0");
    checkVersionsOrder("1.0-alpha-1", "1.0");
    checkVersionsOrder("1.0-alpha-1", "1.0-alpha-2");
    checkVersionsOrder("1.0-alpha-1", "1.0-beta-1");
    checkVersionsOrder("1.0-beta-1", "1.0-SNAPSHOT");
    checkVersionsOrder("1.0-SNAPSHOT", "1.0");
    checkVersionsOrder("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1");
    checkVersionsOrder("1.0", "1.0-1");
    checkVersionsOrder("1.0-1", "1.0-2");
    checkVersionsOrder("1.0.0", "1.0-1");
    checkVersionsOrder("2.0-1", "2.0.1");
    checkVersionsOrder("2.0.1-klm", "2.0.1-lmn");
    checkVersionsOrder("2.0.1", "2.0.1-xyz");
    checkVersionsOrder("2.0.1", "2.0.1-123");
    checkVersionsOrder("2.0.1-xyz", "2.0.1-123");
  });

  it("testLeadingZeroes", () => {
    checkVersionsOrder("0.7", "2");
    checkVersionsOrder("0.2", "1.0.7");
  });

  it("testGetCanonical (MNG-7700)", () => {
    newComparable("0.x");
    newComparable("0-x");
    newComparable("0.rc");
    newComparable("0-1");
    expect(mavenCanonical(raw("0.x"))).toBe("x");
    expect(mavenCanonical(raw("0.2"))).toBe("0.2");
  });

  it("testCompareDigitToLetter", () => {
    expect(compareMavenVersions(raw("7"), raw("J"))).toBe(1);
    expect(compareMavenVersions(raw("J"), raw("7"))).toBe(-1);
    expect(compareMavenVersions(raw("7"), raw("c"))).toBe(1);
    expect(compareMavenVersions(raw("c"), raw("7"))).toBe(-1);
  });

  it("testLexicographicOrder", () => {
    expect(compareMavenVersions(raw("zebra"), raw("aardvark"))).toBe(1);
    expect(compareMavenVersions(raw("aardvark"), raw("zebra"))).toBe(-1);
    // Greek zebra
    expect(compareMavenVersions(raw("ζέβρα"), raw("zebra"))).toBe(1);
    expect(compareMavenVersions(raw("zebra"), raw("ζέβρα"))).toBe(-1);
  });

  it("testMng5568", () => {
    checkVersionsOrder("6.1.0rc3", "6.1.0");
    checkVersionsOrder("6.1.0rc3", "6.1H.5-beta");
    checkVersionsOrder("6.1.0", "6.1H.5-beta");
  });

  it("testMng6572", () => {
    const a = "20190126.230843"; // resembles a SNAPSHOT
    const b = "1234567890.12345"; // 10 digit number
    const c = "123456789012345.1H.5-beta"; // 15 digit number
    const d = "12345678901234567890.1H.5-beta"; // 20 digit number
    checkVersionsOrder(a, b);
    checkVersionsOrder(b, c);
    checkVersionsOrder(a, c);
    checkVersionsOrder(c, d);
    checkVersionsOrder(b, d);
    checkVersionsOrder(a, d);
  });

  it("testVersionEqualWithLeadingZeroes / testVersionZeroEqualWithLeadingZeroes", () => {
    for (const digit of ["1", "0"]) {
      const arr = Array.from({ length: 19 }, (_, i) => "0".repeat(18 - i) + digit);
      for (let i = 0; i < arr.length; i++) {
        for (let j = i; j < arr.length; j++) checkVersionsEqual(arr[i] as string, arr[j] as string);
      }
    }
  });

  it("testMng6964", () => {
    checkVersionsOrder("1-0.alpha", "1");
    checkVersionsOrder("1-0.beta", "1");
    checkVersionsOrder("1-0.alpha", "1-0.beta");
  });

  it("testLocaleIndependent", () => {
    checkVersionsEqual("1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  });

  it("testMng7644", () => {
    for (const x of ["abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"]) {
      // 1.0.0.X1 < 1.0.0-X2 for any string x
      checkVersionsOrder(`1.0.0.${x}1`, `1.0.0-${x}2`);
      // 2.0.X == 2-X == 2.0.0.X for any string x
      checkVersionsEqual(`2-${x}`, `2.0.${x}`);
      checkVersionsEqual(`2-${x}`, `2.0.0.${x}`);
      checkVersionsEqual(`2.0.${x}`, `2.0.0.${x}`);
    }
  });

  it("testMng7714", () => {
    const f = raw("1.0.final-redhat");
    for (const sp of ["1.0-sp1-redhat", "1.0-sp-1-redhat", "1.0-sp.1-redhat"]) {
      expect(compareMavenVersions(f, raw(sp)), sp).toBe(-1);
    }
  });
});

describe("maven: parsing", () => {
  it.each(["", " ", "1.0 ", "1.0\n", "1.\u00000"])("rejects %j", (s) => {
    expect(parseMavenVersion(s)).toBeNull();
  });

  it("orders typical Maven Central security fixes", () => {
    checkVersionsOrder("2.14.1", "2.15.0");
    checkVersionsOrder("2.15.0-rc1", "2.15.0");
    checkVersionsOrder("5.3.17", "5.3.18");
    checkVersionsOrder("9.4.43.v20210629", "9.4.44.v20210927");
    checkVersionsOrder("1.2.3.Final", "1.2.4.Final");
  });
});
