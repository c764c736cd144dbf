// Cases from the OSV schema (https://ossf.github.io/osv-schema/#evaluation and its examples:
// GHSA-r9p9-mrjm-926w, RUSTSEC-2019-0033, PYSEC pikepdf, DSA-3029-1, last_affected vs fixed).
import { describe, expect, it } from "vitest";
import type { AffectedPackage, AffectedRange, RangeEvent } from "../types.ts";
import { VersionError } from "../versions/errors.ts";
import { affects, evaluateRange } from "./affects.ts";

function pkg(ecosystem: string, ranges: AffectedRange[], versions: string[] = []): AffectedPackage {
  const fixedVersions = [
    ...new Set(ranges.flatMap((r) => r.events.flatMap((e) => ("fixed" in e ? [e.fixed] : [])))),
  ];
  return { ecosystem, name: "p", purl: null, ranges, versions, fixedVersions, skippedGitRanges: 0 };
}

const semver = (...events: RangeEvent[]): AffectedRange => ({ type: "SEMVER", events });
const eco = (...events: RangeEvent[]): AffectedRange => ({ type: "ECOSYSTEM", events });

describe("affects: OSV schema examples", () => {
  it("unfixed: every version is affected", () => {
    const p = pkg("npm", [semver({ introduced: "0" })]);
    expect(affects(p, "0.0.1")).toEqual({ affected: true, fixedVersion: null });
    expect(affects(p, "99.0.0")).toEqual({ affected: true, fixedVersion: null });
  });

  it("fixed: everything before 1.0.2", () => {
    const p = pkg("npm", [semver({ introduced: "0" }, { fixed: "1.0.2" })]);
    expect(affects(p, "1.0.1")).toEqual({ affected: true, fixedVersion: "1.0.2" });
    expect(affects(p, "1.0.2-rc.1")).toEqual({ affected: true, fixedVersion: "1.0.2" });
    expect(affects(p, "1.0.2")).toEqual({ affected: false, fixedVersion: null });
    expect(affects(p, "2.0.0")).toEqual({ affected: false, fixedVersion: null });
  });

  it("multiple intervals [1.0.0, 1.0.2) and [3.0.0, 3.2.5), events in any order", () => {
    const events: RangeEvent[] = [{ introduced: "3.0.0" }, { fixed: "1.0.2" }, { fixed: "3.2.5" }, { introduced: "1.0.0" }];
    const p = pkg("crates.io", [semver(...events)]);
    expect(affects(p, "0.9.9").affected).toBe(false);
    expect(affects(p, "1.0.0")).toEqual({ affected: true, fixedVersion: "1.0.2" });
    expect(affects(p, "1.0.1")).toEqual({ affected: true, fixedVersion: "1.0.2" });
    expect(affects(p, "1.0.2").affected).toBe(false);
    expect(affects(p, "2.5.0").affected).toBe(false);
    expect(affects(p, "3.0.0")).toEqual({ affected: true, fixedVersion: "3.2.5" });
    expect(affects(p, "3.2.4")).toEqual({ affected: true, fixedVersion: "3.2.5" });
    expect(affects(p, "3.2.5").affected).toBe(false);
  });

  it("last_affected is inclusive and gives no fixed version; fixed is exclusive", () => {
    const last = pkg("Maven", [eco({ introduced: "0" }, { last_affected: "2.1.214" })]);
    expect(affects(last, "2.1.214")).toEqual({ affected: true, fixedVersion: null });
    expect(affects(last, "2.1.215").affected).toBe(false);
    const fixed = pkg("Maven", [semver({ introduced: "0" }, { fixed: "2.1.214" })]);
    expect(affects(fixed, "2.1.214").affected).toBe(false);
    expect(affects(fixed, "2.1.213")).toEqual({ affected: true, fixedVersion: "2.1.214" });
  });

  it("limit bounds the range from above; '*' is infinity", () => {
    const limited = pkg("npm", [semver({ introduced: "1.0.0" }, { limit: "2.0.0" })]);
    expect(affects(limited, "1.5.0")).toEqual({ affected: true, fixedVersion: null });
    expect(affects(limited, "2.0.0").affected).toBe(false);
    const star = pkg("npm", [semver({ introduced: "1.0.0" }, { limit: "*" })]);
    expect(affects(star, "9.0.0").affected).toBe(true);
    const two = pkg("npm", [semver({ introduced: "0" }, { limit: "1.0.0" }, { limit: "3.0.0" })]);
    expect(affects(two, "2.0.0").affected).toBe(true);
    expect(affects(two, "3.0.0").affected).toBe(false);
  });

  it("GHSA-r9p9-mrjm-926w: npm elliptic, ECOSYSTEM range", () => {
    const p = pkg("npm", [eco({ introduced: "0" }, { fixed: "6.5.4" })]);
    expect(affects(p, "6.5.3")).toEqual({ affected: true, fixedVersion: "6.5.4" });
    expect(affects(p, "6.5.4").affected).toBe(false);
  });

  it("RUSTSEC-2019-0033: crates.io http, SEMVER range", () => {
    const p = pkg("crates.io", [semver({ introduced: "0" }, { fixed: "0.1.20" })]);
    expect(affects(p, "0.1.19")).toEqual({ affected: true, fixedVersion: "0.1.20" });
    expect(affects(p, "0.2.0").affected).toBe(false);
  });

  it("PYSEC pikepdf: GIT range dropped, ECOSYSTEM range and versions list", () => {
    const p = pkg("PyPI", [eco({ introduced: "2.8.0" }, { fixed: "2.10.0" })], ["2.8.0", "2.8.0.post1", "2.8.0.post2", "2.9.0", "2.9.1", "2.9.2"]);
    expect(affects(p, "2.8.0.post1")).toEqual({ affected: true, fixedVersion: "2.10.0" });
    expect(affects(p, "2.9.2")).toEqual({ affected: true, fixedVersion: "2.10.0" });
    expect(affects(p, "2.7.0").affected).toBe(false);
    expect(affects(p, "2.10.0").affected).toBe(false);
  });

  it("DSA-3029-1: Debian:7 nginx", () => {
    const p = pkg("Debian:7", [eco({ introduced: "0" }, { fixed: "1.2.1-2.2+wheezy3" })]);
    expect(affects(p, "1.2.1-2.2+wheezy2")).toEqual({ affected: true, fixedVersion: "1.2.1-2.2+wheezy3" });
    expect(affects(p, "1.2.1-2.2+deb7u1")).toEqual({ affected: true, fixedVersion: "1.2.1-2.2+wheezy3" });
    expect(affects(p, "1.2.1-2.2+wheezy3").affected).toBe(false);
    expect(affects(p, "1.6.2-1").affected).toBe(false);
  });
});

describe("affects: versions list, distros and errors", () => {
  it("versions-only records match exactly or by scheme equality", () => {
    const p = pkg("PyPI", [], ["1.0", "1.1"]);
    expect(affects(p, "1.0")).toEqual({ affected: true, fixedVersion: null });
    expect(affects(p, "1.0.0")).toEqual({ affected: true, fixedVersion: null });
    expect(affects(p, "1.2").affected).toBe(false);
    const unknown = pkg("CRAN", [], ["1.0-1"]);
    expect(affects(unknown, "1.0-1").affected).toBe(true);
    expect(affects(unknown, "1.0-2").affected).toBe(false);
  });

  it("a version listed outside the ranges reports the lowest fix above it", () => {
    const p: AffectedPackage = { ...pkg("npm", [semver({ introduced: "1.0.0" }, { fixed: "1.2.0" })], ["2.0.0"]), fixedVersions: ["1.2.0", "2.1.0", "2.0.5"] };
    expect(affects(p, "2.0.0")).toEqual({ affected: true, fixedVersion: "2.0.5" });
  });

  it("GIT-only records (ranges dropped at normalisation) match by versions only", () => {
    const p: AffectedPackage = { ...pkg("Go", [], ["1.2.3"]), skippedGitRanges: 1 };
    expect(affects(p, "v1.2.3").affected).toBe(true);
    expect(affects(p, "1.2.4").affected).toBe(false);
  });

  it("Alpine fix with release suffixes", () => {
    const p = pkg("Alpine:v3.18", [eco({ introduced: "0" }, { fixed: "10.4.25-r0" })]);
    expect(affects(p, "10.4.24-r1")).toEqual({ affected: true, fixedVersion: "10.4.25-r0" });
    expect(affects(p, "10.4.25-r0").affected).toBe(false);
    expect(affects(p, "10.4.25-r1").affected).toBe(false);
  });

  it("rpm and Go ranges", () => {
    const rpm = pkg("Red Hat", [eco({ introduced: "0" }, { fixed: "1:3.0.7-25.el9_3" })]);
    expect(affects(rpm, "1:3.0.7-24.el9").affected).toBe(true);
    expect(affects(rpm, "3.0.7-30.el9").affected).toBe(true); // epoch 0 < epoch 1
    const go = pkg("Go", [semver({ introduced: "0" }, { fixed: "0.0.0-20220314234659-1baeb1ce4c0b" })]);
    expect(affects(go, "v0.0.0-20191109021931-daa7c04131f5").affected).toBe(true);
    expect(affects(go, "v0.0.0-20220315000000-aaaaaaaaaaaa").affected).toBe(false);
    const goEco = pkg("Go", [eco({ introduced: "0" }, { fixed: "1.20.0" })]);
    expect(affects(goEco, "v2.0.0+incompatible").affected).toBe(false);
  });

  it("several matching ranges give the lowest fixed version", () => {
    const p = pkg("npm", [semver({ introduced: "1.0.0" }, { fixed: "1.5.0" }), semver({ introduced: "0" }, { fixed: "1.4.0" })]);
    expect(affects(p, "1.2.0")).toEqual({ affected: true, fixedVersion: "1.4.0" });
  });

  it("an interval that opens and closes at the same version is empty", () => {
    expect(evaluateRange(semver({ introduced: "1.0.0" }, { fixed: "1.0.0" }), "semver", "1.0.0").affected).toBe(false);
  });

  it("throws VersionError for unparsable versions and unknown ecosystems", () => {
    const p = pkg("Debian:12", [eco({ introduced: "0" }, { fixed: "1.0-1" })]);
    expect(() => affects(p, "not a version")).toThrow(VersionError);
    const unknown = pkg("CRAN", [eco({ introduced: "0" }, { fixed: "1.0" })]);
    expect(() => affects(unknown, "0.9")).toThrow(/No version scheme/);
    const badEvent = pkg("npm", [semver({ introduced: "0" }, { fixed: "one.two" })]);
    expect(() => affects(badEvent, "1.0.0")).toThrow(VersionError);
  });
});
