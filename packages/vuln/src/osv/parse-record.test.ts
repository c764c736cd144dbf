import { describe, expect, it } from "vitest";
import type { NormalizedAdvisory, ParseOsvResult, RecordIssue } from "../types.ts";
import { parseOsvRecord } from "./parse-record.ts";
import { OSV_LIMITS } from "./schema.ts";

const BASE = { id: "GHSA-aaaa-bbbb-cccc", modified: "2024-05-01T10:00:00Z" };

function ok(result: ParseOsvResult): { advisory: NormalizedAdvisory; warnings: RecordIssue[] } {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result;
}

function failed(result: ParseOsvResult): { id: string | null; issues: RecordIssue[] } {
  if (result.ok) throw new Error("expected a failed parse");
  return result;
}

const paths = (issues: RecordIssue[]) => issues.map((i) => i.path);

describe("parseOsvRecord: required fields and types", () => {
  it("accepts the minimal record and fills defaults", () => {
    expect(parseOsvRecord(BASE)).toEqual({
      ok: true,
      warnings: [],
      advisory: {
        externalId: "GHSA-aaaa-bbbb-cccc",
        aliases: [],
        related: [],
        summary: null,
        details: null,
        severity: null,
        cvssScore: null,
        cvssVector: null,
        publishedAt: null,
        modifiedAt: "2024-05-01T10:00:00.000Z",
        withdrawnAt: null,
        references: [],
        packages: [],
        knownExploited: false,
        publicExploit: false,
      },
    });
  });

  it("rejects a missing id and reports no id", () => {
    const r = failed(parseOsvRecord({ modified: BASE.modified }));
    expect(r).toEqual({ ok: false, id: null, issues: [{ path: ["id"], message: "id is required" }] });
  });

  it("rejects ids without a known database prefix or with spaces, but still reports them", () => {
    const r = failed(parseOsvRecord({ ...BASE, id: "FOO-123" }));
    expect(r.id).toBe("FOO-123");
    expect(r.issues).toEqual([{ path: ["id"], message: expect.stringContaining("known OSV database prefix") }]);
    expect(paths(failed(parseOsvRecord({ ...BASE, id: "CVE-2024 1" })).issues)).toEqual([["id"]]);
    expect(ok(parseOsvRecord({ ...BASE, id: "x_internal-1" })).advisory.externalId).toBe("x_internal-1");
  });

  it("rejects a missing or malformed modified date", () => {
    expect(failed(parseOsvRecord({ id: BASE.id })).issues).toEqual([{ path: ["modified"], message: "modified is required" }]);
    for (const bad of ["2024-05-01", "2024-05-01 10:00:00Z", "2024-02-30T00:00:00Z", "yesterday", "2024-05-01T10:00Z"]) {
      const r = failed(parseOsvRecord({ ...BASE, modified: bad }));
      expect(r.id).toBe(BASE.id);
      expect(paths(r.issues)).toEqual([["modified"]]);
    }
    expect(paths(failed(parseOsvRecord({ ...BASE, modified: 1714557600 })).issues)).toEqual([["modified"]]);
  });

  it("canonicalizes RFC 3339 timestamps with offsets and fractions to UTC milliseconds", () => {
    const a = ok(
      parseOsvRecord({
        ...BASE,
        modified: "2024-05-01T12:00:00.123456+02:00",
        published: "2024-04-30T23:59:59Z",
        withdrawn: "2024-06-01T00:00:00.5Z",
      }),
    ).advisory;
    expect([a.modifiedAt, a.publishedAt, a.withdrawnAt]).toEqual([
      "2024-05-01T10:00:00.123Z",
      "2024-04-30T23:59:59.000Z",
      "2024-06-01T00:00:00.500Z",
    ]);
    expect(paths(failed(parseOsvRecord({ ...BASE, published: "2024-13-01T00:00:00Z" })).issues)).toEqual([["published"]]);
  });

  it("reports wrong types with JSON paths and never returns a partial advisory", () => {
    const r = failed(
      parseOsvRecord({
        ...BASE,
        aliases: "CVE-1",
        summary: 42,
        references: [{ type: "WEB" }],
        affected: [{ package: { ecosystem: "npm", name: 7 }, ranges: [{ type: "SEMVER", events: "x" }] }],
        database_specific: [],
      }),
    );
    expect(r.id).toBe(BASE.id);
    expect(paths(r.issues)).toEqual(
      expect.arrayContaining([
        ["aliases"],
        ["summary"],
        ["references", 0, "url"],
        ["affected", 0, "package", "name"],
        ["affected", 0, "ranges", 0, "events"],
        ["database_specific"],
      ]),
    );
    expect(r.issues).toHaveLength(6);
    expect("advisory" in r).toBe(false);
  });

  it("never throws on non-object input", () => {
    for (const v of [null, undefined, 42, "GHSA-x", [], [BASE]]) {
      const r = failed(parseOsvRecord(v));
      expect(r.id).toBeNull();
      expect(r.issues.length).toBeGreaterThan(0);
    }
  });

  it("accepts null for optional fields and ignores unknown keys", () => {
    const a = ok(
      parseOsvRecord({ ...BASE, aliases: null, affected: null, references: null, severity: null, credits: [{ name: "x" }], upstream: ["CVE-1"] }),
    ).advisory;
    expect([a.aliases, a.packages, a.references]).toEqual([[], [], []]);
  });

  it("does not let __proto__ keys in free-form objects leak anywhere", () => {
    const record = JSON.parse(
      `{"id":"GHSA-1","modified":"2024-05-01T10:00:00Z","database_specific":{"__proto__":{"kev":true}},"affected":[{"package":{"ecosystem":"npm","name":"a"},"ecosystem_specific":{"__proto__":{"severity":"CRITICAL"}}}]}`,
    ) as unknown;
    const a = ok(parseOsvRecord(record)).advisory;
    expect(a.knownExploited).toBe(false);
    expect(a.severity).toBeNull();
    expect(({} as Record<string, unknown>)["kev"]).toBeUndefined();
  });
});

describe("parseOsvRecord: affected packages and ranges", () => {
  it("drops GIT ranges, counting them, and collects fixed versions in order without duplicates", () => {
    const a = ok(
      parseOsvRecord({
        ...BASE,
        affected: [
          {
            package: { ecosystem: "PyPI", name: "django" },
            ranges: [
              { type: "GIT", repo: "https://github.com/django/django", events: [{ introduced: "0" }, { fixed: "a".repeat(40) }] },
              { type: "ECOSYSTEM", events: [{ introduced: "4.0" }, { fixed: "4.0.9" }, { introduced: "4.1" }, { fixed: "4.1.4" }] },
              { type: "GIT", repo: "https://github.com/django/django", events: [{ introduced: "b".repeat(40) }] },
              { type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.0.9" }, { limit: "5.0" }] },
            ],
            versions: ["4.0", "4.0.1", "4.0", "4.1"],
          },
        ],
      }),
    );
    expect(a.warnings).toEqual([]);
    expect(a.advisory.packages).toEqual([
      {
        ecosystem: "PyPI",
        name: "django",
        purl: null,
        ranges: [
          { type: "ECOSYSTEM", events: [{ introduced: "4.0" }, { fixed: "4.0.9" }, { introduced: "4.1" }, { fixed: "4.1.4" }] },
          { type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.0.9" }, { limit: "5.0" }] },
        ],
        versions: ["4.0", "4.0.1", "4.1"],
        fixedVersions: ["4.0.9", "4.1.4"],
        skippedGitRanges: 2,
      },
    ]);
  });

  it("keeps last_affected events and lists no fixed version for them", () => {
    const a = ok(
      parseOsvRecord({
        ...BASE,
        affected: [{ package: { ecosystem: "Go", name: "golang.org/x/net" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { last_affected: "0.7.0" }] }] }],
      }),
    ).advisory;
    expect(a.packages[0]?.ranges).toEqual([{ type: "SEMVER", events: [{ introduced: "0" }, { last_affected: "0.7.0" }] }]);
    expect(a.packages[0]?.fixedVersions).toEqual([]);
  });

  it("warns about and drops unknown range types", () => {
    const r = ok(
      parseOsvRecord({
        ...BASE,
        affected: [{ package: { ecosystem: "npm", name: "x" }, ranges: [{ type: "CALVER", events: [{ introduced: "0" }] }] }],
      }),
    );
    expect(r.advisory.packages[0]?.ranges).toEqual([]);
    expect(r.warnings).toEqual([{ path: ["affected", 0, "ranges", 0, "type"], message: 'unknown range type "CALVER"; range dropped' }]);
  });

  it("rejects events that set zero or several keys, and evaluable ranges without introduced", () => {
    const r = failed(
      parseOsvRecord({
        ...BASE,
        affected: [
          {
            package: { ecosystem: "npm", name: "x" },
            ranges: [
              { type: "SEMVER", events: [{ introduced: "0", fixed: "1.0.0" }, {}] },
              { type: "ECOSYSTEM", events: [{ fixed: "1.0.0" }] },
              { type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2" }, { last_affected: "1" }] },
              { type: "SEMVER", events: [] },
            ],
          },
        ],
      }),
    );
    expect(r.issues).toEqual([
      { path: ["affected", 0, "ranges", 0, "events", 0], message: expect.stringContaining("exactly one of") },
      { path: ["affected", 0, "ranges", 0, "events", 1], message: expect.stringContaining("exactly one of") },
      { path: ["affected", 0, "ranges", 1, "events"], message: "events must contain an introduced event" },
      { path: ["affected", 0, "ranges", 2, "events"], message: "fixed and last_affected events are mutually exclusive" },
      { path: ["affected", 0, "ranges", 3, "events"], message: "events must not be empty" },
    ]);
  });

  it("derives ecosystem and name from a purl-only package", () => {
    const r = ok(
      parseOsvRecord({
        ...BASE,
        affected: [
          { package: { purl: "pkg:npm/%40babel/traverse" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "7.23.2" }] }] },
          { package: { purl: "pkg:deb/debian/openssl?distro=debian-12" }, versions: ["3.0.11-1~deb12u1"] },
          { package: { ecosystem: "Maven", purl: "pkg:maven/org.apache.logging.log4j/log4j-core" } },
        ],
      }),
    );
    expect(r.warnings).toEqual([]);
    expect(r.advisory.packages.map((p) => [p.ecosystem, p.name, p.purl])).toEqual([
      ["npm", "@babel/traverse", "pkg:npm/%40babel/traverse"],
      ["Debian:12", "openssl", "pkg:deb/debian/openssl?distro=debian-12"],
      ["Maven", "org.apache.logging.log4j:log4j-core", "pkg:maven/org.apache.logging.log4j/log4j-core"],
    ]);
  });

  it("skips entries without a usable package with a warning; the record stays valid", () => {
    const r = ok(
      parseOsvRecord({
        ...BASE,
        affected: [
          { ranges: [{ type: "GIT", repo: "https://example.org/r.git", events: [{ introduced: "0" }] }] },
          { package: { ecosystem: "npm", name: "" } },
          { package: { purl: "not-a-purl" } },
          { package: { ecosystem: "npm", name: "ok" } },
        ],
      }),
    );
    expect(r.advisory.packages.map((p) => p.name)).toEqual(["ok"]);
    expect(r.warnings).toEqual([
      { path: ["affected", 0, "package"], message: expect.stringContaining("no usable package") },
      { path: ["affected", 1, "package"], message: expect.stringContaining("no usable package") },
      { path: ["affected", 2, "package", "purl"], message: "purl does not parse or names no known ecosystem" },
      { path: ["affected", 2, "package"], message: expect.stringContaining("no usable package") },
    ]);
  });
});

describe("parseOsvRecord: references", () => {
  it("keeps only http(s) links, deduplicated, and warns about the rest", () => {
    const r = ok(
      parseOsvRecord({
        ...BASE,
        references: [
          { type: "WEB", url: "https://example.org/a" },
          { type: "WEB", url: "javascript:alert(1)" },
          { type: "WEB", url: "not a url" },
          { type: "WEB", url: "https://example.org/a" },
          { type: "FIX", url: "http://example.org/fix" },
        ],
      }),
    );
    expect(r.advisory.references).toEqual([
      { type: "WEB", url: "https://example.org/a" },
      { type: "FIX", url: "http://example.org/fix" },
    ]);
    expect(r.warnings).toEqual([
      { path: ["references", 1, "url"], message: "not an http(s) URL; reference dropped" },
      { path: ["references", 2, "url"], message: "not a valid URL; reference dropped" },
    ]);
  });
});

describe("parseOsvRecord: size bounds", () => {
  const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

  it.each([
    ["summary", { summary: "s".repeat(OSV_LIMITS.summaryLength + 1) }, ["summary"]],
    ["details", { details: "d".repeat(OSV_LIMITS.detailsHardLength + 1) }, ["details"]],
    ["aliases", { aliases: many(OSV_LIMITS.aliases + 1, (i) => `CVE-2024-${i}`) }, ["aliases"]],
    ["references", { references: many(OSV_LIMITS.references + 1, (i) => ({ type: "WEB", url: `https://e.org/${i}` })) }, ["references"]],
    ["affected", { affected: many(OSV_LIMITS.affected + 1, (i) => ({ package: { ecosystem: "npm", name: `p${i}` } })) }, ["affected"]],
    ["id", { id: `GHSA-${"a".repeat(OSV_LIMITS.idLength)}` }, ["id"]],
  ])("rejects an oversized %s", (_name, patch, path) => {
    const r = failed(parseOsvRecord({ ...BASE, ...patch }));
    expect(paths(r.issues)).toEqual([path]);
  });

  it("keeps long details truncated, with a warning, instead of refusing the record", () => {
    const r = ok(parseOsvRecord({ ...BASE, details: "d".repeat(OSV_LIMITS.detailsLength + 50) }));
    expect(r.advisory.details).toHaveLength(OSV_LIMITS.detailsLength);
    expect(r.warnings).toEqual([{ path: ["details"], message: expect.stringContaining("stored truncated") }]);
  });

  it("accepts values exactly at the bounds", () => {
    const a = ok(
      parseOsvRecord({
        ...BASE,
        summary: "s".repeat(OSV_LIMITS.summaryLength),
        details: "d".repeat(OSV_LIMITS.detailsLength),
        aliases: many(OSV_LIMITS.aliases, (i) => `CVE-2024-${i}`),
      }),
    ).advisory;
    expect(a.summary).toHaveLength(OSV_LIMITS.summaryLength);
    expect(a.aliases).toHaveLength(OSV_LIMITS.aliases);
  });

  it("rejects too many enumerated versions across the record", () => {
    const versions = many(OSV_LIMITS.versionsPerAffected, (i) => `1.0.${i}`);
    const affected = many(Math.ceil(OSV_LIMITS.versionsTotal / versions.length) + 1, (i) => ({ package: { ecosystem: "npm", name: `p${i}` }, versions }));
    const r = failed(parseOsvRecord({ ...BASE, affected }));
    expect(r.issues).toEqual([{ path: ["affected"], message: expect.stringContaining("too many enumerated versions") }]);
  });

  it("caps the number of reported issues and warnings", () => {
    const badAffected = many(300, () => ({ package: { ecosystem: 1, name: 2 } }));
    const issues = failed(parseOsvRecord({ ...BASE, affected: badAffected })).issues;
    expect(issues).toHaveLength(OSV_LIMITS.reportedIssues + 1);
    expect(issues.at(-1)).toEqual({ path: [], message: `${600 - OSV_LIMITS.reportedIssues} more not shown` });

    const unusable = many(300, () => ({ package: { ecosystem: "npm", name: "" } }));
    const warnings = ok(parseOsvRecord({ ...BASE, affected: unusable })).warnings;
    expect(warnings).toHaveLength(OSV_LIMITS.reportedIssues + 1);
    expect(warnings.at(-1)?.message).toBe(`${300 - OSV_LIMITS.reportedIssues} more not shown`);
  });
});
