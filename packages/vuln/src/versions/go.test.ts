// Vectors: golang.org/x/mod semver/semver_test.go and cmd/go/internal/modfetch/pseudo_test.go
// (BSD-3-Clause, The Go Authors), plus the pseudo-version forms of the Go modules reference.
// See packages/vuln/NOTICE.
import { describe, expect, it } from "vitest";
import { type GoVersion, compareGoVersions, parseGoVersion } from "./go.ts";

function p(s: string): GoVersion {
  const v = parseGoVersion(s);
  if (v === null) throw new Error(`unparsable go version ${s}`);
  return v;
}

const cmp = (a: string, b: string): number => compareGoVersions(p(a), p(b));

// x/mod semver_test.go `tests`: in sorted order; `out` is the canonical form ("" = invalid).
const tests: [string, string][] = [
  ["bad", ""],
  ["v1-alpha.beta.gamma", ""],
  ["v1-pre", ""],
  ["v1+meta", ""],
  ["v1-pre+meta", ""],
  ["v1.2-pre", ""],
  ["v1.2+meta", ""],
  ["v1.2-pre+meta", ""],
  ["v1.0.0-alpha", "v1.0.0-alpha"],
  ["v1.0.0-alpha.1", "v1.0.0-alpha.1"],
  ["v1.0.0-alpha.beta", "v1.0.0-alpha.beta"],
  ["v1.0.0-beta", "v1.0.0-beta"],
  ["v1.0.0-beta.2", "v1.0.0-beta.2"],
  ["v1.0.0-beta.11", "v1.0.0-beta.11"],
  ["v1.0.0-rc.1", "v1.0.0-rc.1"],
  ["v1", "v1.0.0"],
  ["v1.0", "v1.0.0"],
  ["v1.0.0", "v1.0.0"],
  ["v1.2", "v1.2.0"],
  ["v1.2.0", "v1.2.0"],
  ["v1.2.3-456", "v1.2.3-456"],
  ["v1.2.3-456.789", "v1.2.3-456.789"],
  ["v1.2.3-456-789", "v1.2.3-456-789"],
  ["v1.2.3-456a", "v1.2.3-456a"],
  ["v1.2.3-pre", "v1.2.3-pre"],
  ["v1.2.3-pre+meta", "v1.2.3-pre"],
  ["v1.2.3-pre.1", "v1.2.3-pre.1"],
  ["v1.2.3-zzz", "v1.2.3-zzz"],
  ["v1.2.3", "v1.2.3"],
  ["v1.2.3+meta", "v1.2.3"],
  ["v1.2.3+meta-pre", "v1.2.3"],
  ["v1.2.3+meta-pre.sha.256a", "v1.2.3"],
];

describe("go: x/mod semver_test.go", () => {
  it("IsValid", () => {
    for (const [input, out] of tests) expect([input, parseGoVersion(input) !== null]).toEqual([input, out !== ""]);
  });

  it("Compare: equal canonical forms are equal, otherwise table order", () => {
    const valid = tests.filter(([, out]) => out !== "");
    valid.forEach(([vi, oi], i) => {
      valid.forEach(([vj, oj], j) => {
        const want = oi === oj ? 0 : Math.sign(i - j);
        expect([vi, vj, cmp(vi, vj)]).toEqual([vi, vj, want]);
      });
    });
    expect(cmp("v1", "v1")).toBe(0);
    expect(cmp("v2", "v1")).toBe(1);
    expect(cmp("v1", "v2")).toBe(-1);
    expect(cmp("v1.19", "v1.2")).toBe(1);
  });
});

describe("go: pseudo-versions (pseudo_test.go, Go modules reference)", () => {
  // [older tagged version, pseudo-version derived from it]
  const derived: [string, string, string][] = [
    ["v0.0.0", "v0.0.1-0.20060102150405-hash", "v0.0.1"],
    ["v1.2.3", "v1.2.4-0.20060102150405-hash", "v1.2.4"],
    ["v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash", "v1.2.100000000000000000"],
    ["v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash", "v1.2.3"],
    ["v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash", "v1.3.0"],
  ];
  it.each(derived)("%s < %s < %s", (older, pseudo, next) => {
    expect(cmp(older, pseudo)).toBe(-1);
    expect(cmp(pseudo, next)).toBe(-1);
  });

  it("orders base pseudo-versions (vX.0.0-yyyymmddhhmmss-hash) by time, before vX.0.0", () => {
    expect(cmp("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-000000000000")).toBe(-1);
    expect(cmp("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0")).toBe(-1);
    expect(cmp("v2.0.0-20060102150405-hash", "v1.9.9")).toBe(1);
  });

  it("accepts OSV's spelling without the v and ignores +incompatible", () => {
    expect(cmp("0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20191109021931-daa7c04131f5")).toBe(0);
    expect(cmp("1.2.3", "v1.2.3")).toBe(0);
    expect(cmp("v2.0.0+incompatible", "v2.0.0")).toBe(0);
    expect(cmp("v2.0.0+incompatible", "v2.0.1+incompatible")).toBe(-1);
  });

  it.each(["", "v", "vv1.2.3", "v01.2.3", "v1.2.3-01", "v1.2.3-", "v1.2.3+", "1.2.3.4", "latest"])("rejects %j", (s) => {
    expect(parseGoVersion(s)).toBeNull();
  });
});
