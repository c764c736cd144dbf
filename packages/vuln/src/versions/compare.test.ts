import { describe, expect, it } from "vitest";
import {
  VERSION_CACHE_LIMIT,
  VersionError,
  clearVersionCache,
  comparatorFor,
  compareVersions,
  compareWith,
  isValidVersion,
  parseVersion,
  versionSchemeOf,
} from "./index.ts";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an exception");
}

describe("versionSchemeOf", () => {
  it.each([
    ["Debian", "dpkg"],
    ["Debian:12", "dpkg"],
    ["Ubuntu:22.04:LTS", "dpkg"],
    ["Ubuntu:Pro:18.04:LTS", "dpkg"],
    ["Alpine:v3.18", "apk"],
    ["Wolfi", "apk"],
    ["Red Hat", "rpm"],
    ["Red Hat:enterprise_linux:9::appstream", "rpm"],
    ["Rocky Linux:9", "rpm"],
    ["AlmaLinux:8", "rpm"],
    ["openSUSE", "rpm"],
    ["SUSE:SUSE Linux Enterprise Server 15 SP5", "rpm"],
    ["Mageia:9", "rpm"],
    ["npm", "semver"],
    ["crates.io", "semver"],
    ["Packagist", "semver"],
    ["Hex", "semver"],
    ["Pub", "semver"],
    ["PyPI", "pep440"],
    ["Go", "go"],
    ["Maven", "maven"],
    ["Maven:https://maven.google.com", "maven"],
    ["RubyGems", "rubygems"],
    ["NuGet", "nuget"],
    ["debian:12", "dpkg"],
  ])("%s → %s", (ecosystem, scheme) => {
    expect(versionSchemeOf(ecosystem)).toBe(scheme);
  });

  it.each(["", "GIT", "OSS-Fuzz", "Linux", "Android", "CRAN", "Hackage", "Debianish"])("%j → null", (e) => {
    expect(versionSchemeOf(e)).toBeNull();
  });
});

describe("compareVersions", () => {
  it("compares in the ecosystem's scheme", () => {
    expect(compareVersions("Debian:12", "1:1.0-1", "2.0-1")).toBe(1);
    expect(compareVersions("Alpine:v3.18", "10.4.24-r1", "10.4.25-r0")).toBe(-1);
    expect(compareVersions("Red Hat", "1.0-1.el9~rc1", "1.0-1.el9")).toBe(-1);
    expect(compareVersions("npm", "1.0.0-rc.1", "1.0.0")).toBe(-1);
    expect(compareVersions("PyPI", "1.0", "1.0.0")).toBe(0);
    expect(compareVersions("Go", "v1.2.3", "1.2.3")).toBe(0);
    expect(compareVersions("Maven", "1.0-SNAPSHOT", "1.0")).toBe(-1);
    expect(compareVersions("RubyGems", "1.0.a", "1.0")).toBe(-1);
    expect(compareVersions("NuGet", "1.0", "1.0.0.0")).toBe(0);
  });

  it("throws VersionError with reason, version and ecosystem", () => {
    const unknown = thrown(() => compareVersions("CRAN", "1.0", "1.1"));
    expect(unknown).toBeInstanceOf(VersionError);
    expect(unknown).toMatchObject({ reason: "unknown-ecosystem", ecosystem: "CRAN" });

    const bad = thrown(() => compareVersions("Debian:12", "1.0-1", "bad version"));
    expect(bad).toBeInstanceOf(VersionError);
    expect(bad).toMatchObject({ reason: "unparsable", version: "bad version", ecosystem: "Debian:12" });
    expect((bad as Error).message).toContain("bad version");

    expect(thrown(() => compareVersions("npm", "1.0.0", "not a version"))).toMatchObject({ reason: "unparsable" });
    expect(thrown(() => compareVersions("npm", "1.0.0", "1".repeat(300) + ".0.0"))).toBeInstanceOf(VersionError);
  });
});

describe("parse cache", () => {
  it("compareWith and comparatorFor reuse parsed versions and still report errors", () => {
    clearVersionCache();
    const cmp = compareWith("dpkg", "Debian:12");
    expect(cmp("1.0-1", "1.0-2")).toBe(-1);
    expect(cmp("1.0-2", "1.0-1")).toBe(1);
    expect(() => cmp("1.0-1", "bad version")).toThrow(VersionError);
    expect(() => cmp("1.0-1", "bad version")).toThrow(VersionError); // cached as invalid
    expect(comparatorFor("Alpine:v3.19")("1.0-r0", "1.0-r1")).toBe(-1);
    expect(() => comparatorFor("Nope")).toThrow(VersionError);
    expect(isValidVersion("pep440", "1.0.post1")).toBe(true);
    expect(isValidVersion("pep440", "french toast")).toBe(false);
    expect(parseVersion("go", "1.2.3")).toEqual(parseVersion("go", "v1.2.3"));
  });

  it("stays correct past its size bound (oldest entries are evicted)", () => {
    clearVersionCache();
    const cmp = compareWith("apk");
    expect(cmp("1.0-r0", "1.0-r1")).toBe(-1);
    for (let i = 0; i <= VERSION_CACHE_LIMIT; i++) isValidVersion("apk", `1.${i}-r0`);
    expect(cmp("1.0-r0", "1.0-r1")).toBe(-1);
    expect(cmp("1.2-r0", "1.10-r0")).toBe(-1);
    clearVersionCache();
  });
});
