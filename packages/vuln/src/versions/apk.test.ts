// Vectors: apk-tools test/version.data (alpinelinux/apk-tools, GPL-2.0-only), copied unchanged to
// test/fixtures/versions/apk-tools-version.data. See packages/vuln/NOTICE.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ApkVersion, compareApkVersions, parseApkVersion } from "./apk.ts";

const data = readFileSync(new URL("../../test/fixtures/versions/apk-tools-version.data", import.meta.url), "utf8");
const OPS: Record<string, number> = { "<": -1, "=": 0, ">": 1 };

const vectors = data
  .split("\n")
  .map((line) => line.replace(/#.*$/, "").trim())
  .filter((line) => line !== "")
  .map((line) => {
    const [a, op, b] = line.split(/\s+/);
    return { a: a as string, b: b as string, expected: OPS[op as string] as number };
  });

// apk-tools string-sorts these because they fail apk_version_validate ("23_foo": unknown suffix;
// "1.0bc": two letters). A scanner must not guess, so they are errors here.
const INVALID = new Set(["23_foo", "1.0bc"]);

function parse(s: string): ApkVersion {
  const p = parseApkVersion(s);
  if (p === null) throw new Error(`unparsable apk version ${s}`);
  return p;
}

describe("apk: apk-tools test/version.data", () => {
  it("reads every vector", () => {
    expect(vectors.length).toBe(733);
  });

  it("rejects the versions upstream marks invalid", () => {
    for (const s of INVALID) expect(parseApkVersion(s)).toBeNull();
  });

  it("orders every valid pair like apk (both directions)", () => {
    let checked = 0;
    for (const { a, b, expected } of vectors) {
      if (INVALID.has(a) || INVALID.has(b)) continue;
      expect([a, b, compareApkVersions(parse(a), parse(b))]).toEqual([a, b, expected]);
      expect([b, a, compareApkVersions(parse(b), parse(a))]).toEqual([b, a, -expected || 0]);
      checked++;
    }
    expect(checked).toBe(vectors.length - 2);
  });
});

describe("apk: grammar", () => {
  it.each(["", "a1", "1.0-1", "1.0_foo", "1.0-r", "1.0_", "1.0~", "1.0~xyz", "1.0-r1-r2", "1.A", "1..2", "1.0a.1", "1.0 ", "v3.18"])(
    "rejects %j",
    (s) => {
      expect(parseApkVersion(s)).toBeNull();
    },
  );

  it("accepts a commit hash before the release; orders pre-release suffixes, release and post-release suffixes", () => {
    expect(parseApkVersion("1.0_git20240101~ab12cd-r3")).not.toBeNull();
    const order = ["1.0_alpha1", "1.0_beta1", "1.0_pre1", "1.0_rc1", "1.0", "1.0-r1", "1.0_cvs1", "1.0_svn1", "1.0_git1", "1.0_hg1", "1.0_p1", "1.0.1"];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(compareApkVersions(parse(order[i] as string), parse(order[i + 1] as string))).toBe(-1);
    }
  });

  it("orders the Alpine fix example", () => {
    expect(compareApkVersions(parse("10.4.24-r1"), parse("10.4.25-r0"))).toBe(-1);
    expect(compareApkVersions(parse("10.4.25-r0"), parse("10.4.25-r0"))).toBe(0);
  });
});
