// Vectors: rubygems test/rubygems/test_gem_version.rb (ruby/rubygems commit c13f3d005bf9, MIT).
// See packages/vuln/NOTICE.
import { describe, expect, it } from "vitest";
import { type RubyGemsVersion, compareRubyGemsVersions, parseRubyGemsVersion, rubyCanonicalSegments } from "./rubygems.ts";

function v(s: string): RubyGemsVersion {
  const p = parseRubyGemsVersion(s);
  if (p === null) throw new Error(`unparsable gem version ${s}`);
  return p;
}

const cmp = (a: string, b: string): number => compareRubyGemsVersions(v(a), v(b));

describe("rubygems: test_gem_version.rb", () => {
  it("test_equals2 / test_hash", () => {
    expect(cmp("1.2", "1.2")).toBe(0);
    expect(cmp("1.2", "1.3")).not.toBe(0);
    expect(cmp("1.2.b1", "1.2.b.1")).toBe(0);
    expect(cmp("1.2", "1.2.0")).toBe(0);
    expect(cmp("1.2.pre.1", "1.2.0.pre.1.0")).toBe(0);
  });

  it("test_initialize", () => {
    for (const good of ["1.0", "1.0 ", " 1.0 ", "1.0\n", "\n1.0\n"]) expect(cmp("1.0", good)).toBe(0);
  });

  it("test_initialize_invalid", () => {
    for (const bad of ["junk", "1.0\n2.0", "1..2", "1.2 3.4", "2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e."]) {
      expect(parseRubyGemsVersion(bad)).toBeNull();
    }
  });

  it("test_spaceship", () => {
    expect(cmp("1.0", "1.0.0")).toBe(0);
    expect(cmp("1.0", "1.0.a")).toBe(1);
    expect(cmp("1.8.2", "0.0.0")).toBe(1);
    expect(cmp("1.8.2", "1.8.2.a")).toBe(1);
    expect(cmp("1.8.2.b", "1.8.2.a")).toBe(1);
    expect(cmp("1.8.2.a", "1.8.2")).toBe(-1);
    expect(cmp("1.8.2.a10", "1.8.2.a9")).toBe(1);
    expect(cmp("0.beta.1", "0.0.beta.1")).toBe(0);
    expect(cmp("0.0.beta", "0.0.beta.1")).toBe(-1);
    expect(cmp("0.0.beta", "0.beta.1")).toBe(-1);
    expect(cmp("5.a", "5.0.0.rc2")).toBe(-1);
    expect(cmp("5.x", "5.0.0.rc2")).toBe(1);
    expect(cmp("1.9.3", "1.9.3")).toBe(0);
    expect(cmp("1.9.3", "1.9.2.99")).toBe(1);
    expect(cmp("1.9.3", "1.9.3.1")).toBe(-1);
    expect(parseRubyGemsVersion("whatever")).toBeNull();
  });

  it("test_semver", () => {
    const ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1"];
    for (let i = 0; i + 1 < ordered.length; i++) expect(cmp(ordered[i] as string, ordered[i + 1] as string)).toBe(-1);
    expect(cmp("1.0.0-rc1", "1.0.0")).toBe(-1);
    expect(cmp("1.0.0-1", "1")).toBe(-1);
  });

  it("test_hyphen_and_dot_prerelease_are_the_same_version", () => {
    expect(cmp("1.0.0.beta.1", "1.0.0-beta.1")).toBe(0);
    expect(cmp("1.0.0.rc.1", "1.0.0-rc.1")).toBe(0);
    expect(cmp("1.2.3.beta", "1.2.3-beta")).toBe(0);
    expect(v("1.0.0-beta.1").version).toBe("1.0.0.beta.1");
    expect(v("1.0.0-1").version).toBe("1.0.0.pre.1");
    expect(cmp("1.0.0.1", "1.0.0-1")).not.toBe(0);
    expect(cmp("1.0.0.beta.1", "1.0.0.pre.beta.1")).toBe(0);
  });

  it("test_sort_key_* (fast path cases, same order)", () => {
    expect(cmp("1.0.0", "0.0.1.20220404083012")).toBe(1);
    expect(cmp("0.7.0", "0.6.63000")).toBe(1);
    expect(cmp("18.0.1", "18.0.2")).toBe(-1);
  });

  it("test_canonical_segments", () => {
    expect(rubyCanonicalSegments(v("1.0.0"))).toEqual([1]);
    expect(rubyCanonicalSegments(v("1.0.0.a.1.0"))).toEqual([1, "a", 1]);
    expect(rubyCanonicalSegments(v("1.2.3-1"))).toEqual([1, 2, 3, "pre", 1]);
  });

  it("test_frozen_version", () => {
    expect(cmp("1.freeze.test", "1")).toBe(-1);
  });
});

describe("rubygems: deviations and details", () => {
  it("rejects an empty version (RubyGems reads it as 0)", () => {
    expect(parseRubyGemsVersion("")).toBeNull();
    expect(parseRubyGemsVersion("   ")).toBeNull();
  });

  it("compares letters in byte order and numbers of any size", () => {
    expect(cmp("1.A", "1.a")).toBe(-1);
    expect(cmp("1.0.99999999999999999999", "1.0.100000000000000000000")).toBe(-1);
    expect(cmp("6.1.7.7", "6.1.7.8")).toBe(-1);
    expect(cmp("7.0.8.1", "7.0.8")).toBe(1);
  });
});
