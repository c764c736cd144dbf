import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NormalizedAdvisory, ParseOsvResult } from "../types.ts";
import { parseOsvJsonText } from "./json-text.ts";
import { parseOsvRecord } from "./parse-record.ts";

// The upstream fixtures (test/fixtures/osv, see NOTICE) normalized end to end: exact output.

function fixtureText(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/osv/${name}`, import.meta.url), "utf8");
}

function parseFixture(name: string): ParseOsvResult {
  return parseOsvRecord(JSON.parse(fixtureText(name)));
}

function alpine(release: string, fixed: string) {
  return {
    ecosystem: `Alpine:${release}`,
    name: "mariadb",
    purl: "pkg:alpine/mariadb",
    ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed }] }],
    versions: [],
    fixedVersions: [fixed],
    skippedGitRanges: 0,
  };
}

describe("parseOsvRecord on upstream fixtures", () => {
  it("normalizes CVE-2022-27449 (Alpine, five releases, EVIDENCE reference)", () => {
    const expected: NormalizedAdvisory = {
      externalId: "CVE-2022-27449",
      aliases: [],
      related: [],
      summary: null,
      details:
        "MariaDB Server v10.9 and below was discovered to contain a segmentation fault via the component sql/item_func.cc:148.",
      severity: null,
      cvssScore: null,
      cvssVector: null,
      publishedAt: "2022-04-14T13:15:00.000Z",
      modifiedAt: "2022-10-07T18:59:00.000Z",
      withdrawnAt: null,
      references: [
        { type: "EVIDENCE", url: "https://jira.mariadb.org/browse/MDEV-28089" },
        { type: "REPORT", url: "https://jira.mariadb.org/browse/MDEV-28089" },
        { type: "FIX", url: "https://jira.mariadb.org/browse/MDEV-28089" },
        { type: "WEB", url: "https://jira.mariadb.org/browse/MDEV-28089" },
        { type: "ADVISORY", url: "https://security.netapp.com/advisory/ntap-20220526-0006/" },
        { type: "ARTICLE", url: "https://lists.debian.org/debian-lts-announce/2022/09/msg00023.html" },
        { type: "WEB", url: "https://lists.debian.org/debian-lts-announce/2022/09/msg00023.html" },
      ],
      packages: [
        alpine("v3.12", "10.4.25-r0"),
        alpine("v3.13", "10.5.16-r0"),
        alpine("v3.14", "10.5.16-r0"),
        alpine("v3.15", "10.6.8-r0"),
        alpine("v3.16", "10.6.8-r0"),
      ] as NormalizedAdvisory["packages"],
      knownExploited: false,
      // OSV reference type EVIDENCE counts as a public demonstration.
      publicExploit: true,
    };
    expect(parseFixture("CVE-2022-27449.json")).toEqual({ ok: true, advisory: expected, warnings: [] });
  });

  it("normalizes DSA-3029-1 (Debian, package without purl)", () => {
    const raw = JSON.parse(fixtureText("DSA-3029-1.json")) as { details: string };
    const expected: NormalizedAdvisory = {
      externalId: "DSA-3029-1",
      aliases: ["CVE-2014-3616"],
      related: [],
      summary: "nginx - security update",
      details: raw.details,
      severity: null,
      cvssScore: null,
      cvssVector: null,
      publishedAt: "2014-09-20T00:00:00.000Z",
      modifiedAt: "2014-09-20T08:18:07.000Z",
      withdrawnAt: null,
      references: [{ type: "ADVISORY", url: "https://www.debian.org/security/2014/dsa-3029" }],
      packages: [
        {
          ecosystem: "Debian:7",
          name: "nginx",
          purl: null,
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.2.1-2.2+wheezy3" }] }],
          versions: [],
          fixedVersions: ["1.2.1-2.2+wheezy3"],
          skippedGitRanges: 0,
        },
      ],
      knownExploited: false,
      publicExploit: false,
    };
    expect(raw.details.startsWith("\nAntoine Delignat-Lavaud")).toBe(true);
    expect(parseFixture("DSA-3029-1.json")).toEqual({ ok: true, advisory: expected, warnings: [] });
  });

  it("normalizes the GHSA npm record from ossf/osv-schema (SEMVER range, empty versions)", () => {
    const raw = JSON.parse(fixtureText("osv-schema__npm_greater_than.osv.json")) as { details: string };
    const expected: NormalizedAdvisory = {
      externalId: "GHSA-mhpp-875w-9cpv",
      aliases: ["CVE-2016-10707"],
      related: [],
      summary: "Denial of Service in jquery",
      details: raw.details,
      severity: null,
      cvssScore: null,
      cvssVector: null,
      publishedAt: "2018-01-22T13:32:42.000Z",
      modifiedAt: "2021-09-15T20:10:34.000Z",
      withdrawnAt: null,
      references: [
        { type: "ADVISORY", url: "https://nvd.nist.gov/vuln/detail/CVE-2016-10707" },
        { type: "ADVISORY", url: "https://github.com/advisories/GHSA-mhpp-875w-9cpv" },
      ],
      packages: [
        {
          ecosystem: "npm",
          name: "jquery",
          purl: null,
          ranges: [{ type: "SEMVER", events: [{ introduced: "2.1.1-0" }, { fixed: "3.0.0" }] }],
          versions: [],
          fixedVersions: ["3.0.0"],
          skippedGitRanges: 0,
        },
      ],
      knownExploited: false,
      publicExploit: false,
    };
    expect(raw.details).toContain("## Recommendation");
    expect(parseFixture("osv-schema__npm_greater_than.osv.json")).toEqual({ ok: true, advisory: expected, warnings: [] });
  });

  it("gives the same result through parseOsvJsonText, also for an array of records", () => {
    const files = ["CVE-2022-27449.json", "DSA-3029-1.json", "osv-schema__npm_greater_than.osv.json"];
    for (const f of files) expect(parseOsvJsonText(fixtureText(f), f)).toEqual([parseFixture(f)]);
    const combined = `[${files.map(fixtureText).join(",")}]`;
    expect(parseOsvJsonText(combined, "bulk.json")).toEqual(files.map(parseFixture));
  });
});
