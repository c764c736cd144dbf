// Vectors: semver.org 2.0.0 §11 precedence examples (CC BY 3.0). See packages/vuln/NOTICE.
import { describe, expect, it } from "vitest";
import type { SemVer } from "semver";
import { compareSemver, parseSemver } from "./semver.ts";

function p(s: string): SemVer {
  const v = parseSemver(s);
  if (v === null) throw new Error(`unparsable semver ${s}`);
  return v;
}

function expectOrdered(list: string[]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = 0; j < list.length; j++) {
      expect([list[i], list[j], compareSemver(p(list[i] as string), p(list[j] as string))]).toEqual([
        list[i],
        list[j],
        Math.sign(i - j),
      ]);
    }
  }
}

describe("semver: semver.org §11", () => {
  it("orders major.minor.patch numerically", () => {
    expectOrdered(["1.0.0", "2.0.0", "2.1.0", "2.1.1"]);
  });

  it("orders pre-releases before the release", () => {
    expectOrdered([
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
    ]);
  });

  it("ignores build metadata (§10)", () => {
    expect(compareSemver(p("1.0.0-alpha+001"), p("1.0.0-alpha"))).toBe(0);
    expect(compareSemver(p("1.0.0+20130313144700"), p("1.0.0"))).toBe(0);
    expect(compareSemver(p("1.0.0-beta+exp.sha.5114f85"), p("1.0.0-beta"))).toBe(0);
  });
});

describe("semver: parsing", () => {
  it("accepts a leading v or = and loose spellings of real registries", () => {
    expect(compareSemver(p("v1.2.3"), p("1.2.3"))).toBe(0);
    expect(compareSemver(p("=1.2.3"), p("1.2.3"))).toBe(0);
    expect(compareSemver(p("1.2.3beta"), p("1.2.3-beta"))).toBe(0);
  });

  it.each(["", "latest", "not-a-version", "1.2", "1", "1.2.3.4", "x.y.z", "1.2.3-", "9007199254740992.0.0"])(
    "rejects %j",
    (s) => {
      expect(parseSemver(s)).toBeNull();
    },
  );
});
