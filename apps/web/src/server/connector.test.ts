import { isAppError } from "@bulwark/core";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, parseName, reportBodySchema, tooDeepPath } from "./connector.ts";

function nested(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

describe("report body depth bound", () => {
  it("accepts real-shaped bodies and refuses hostile nesting with the path where it went too deep", () => {
    expect(tooDeepPath({ Results: [{ Vulnerabilities: [{ CVSS: { nvd: { V3Score: 9.8 } } }] }] })).toBeNull();
    expect(tooDeepPath(nested(MAX_JSON_DEPTH))).toBeNull();
    const path = tooDeepPath(nested(MAX_JSON_DEPTH + 1));
    expect(path).toHaveLength(MAX_JSON_DEPTH);
    // Iterative: a body nested 100,000 deep is measured without overflowing the stack.
    expect(tooDeepPath(nested(100_000))).toHaveLength(MAX_JSON_DEPTH);
  });

  it("reports the depth violation as a zod issue with its field path", () => {
    const r = reportBodySchema.safeParse({ a: nested(MAX_JSON_DEPTH) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe("a");
    expect(reportBodySchema.safeParse([1, "x", null, { y: true }]).success).toBe(true);
  });
});

describe("cluster and registry names in URLs", () => {
  it("accepts DNS-1123-like names", () => {
    for (const n of ["prod", "prod-eu-1", "a.b.c", "x".repeat(63)]) expect(parseName(n, "name")).toBe(n);
    expect(parseName("prod%2Deu", "name")).toBe("prod-eu");
  });

  it("refuses anything else with a 400 naming the field", () => {
    for (const bad of ["Prod", "-prod", "prod-", "a..b", "a b", "a/b", "x".repeat(254), "%E0%A4%A"]) {
      try {
        parseName(bad, "name");
        expect.unreachable(`accepted ${bad}`);
      } catch (err) {
        expect(isAppError(err) && err.status).toBe(400);
        expect(isAppError(err) && err.fields?.[0]?.path).toBe("name");
      }
    }
  });
});
