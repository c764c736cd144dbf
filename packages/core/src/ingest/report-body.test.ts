import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, reportBodySchema, tooDeepPath } from "./report-body.ts";

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

  it("names the exact path of the first node that is too deep, array indexes included", () => {
    expect(tooDeepPath({ a: [{ b: { c: 1 } }] }, 3)).toEqual(["a", 0, "b"]);
    expect(tooDeepPath({ a: [0, [1, [2]]] }, 3)).toEqual(["a", 1, 1]);
    expect(tooDeepPath({ a: { b: 1 } }, 3)).toBeNull();
  });

  it("reports the depth violation as a zod issue with its field path", () => {
    const r = reportBodySchema.safeParse({ a: nested(MAX_JSON_DEPTH) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe("a");
    expect(reportBodySchema.safeParse([1, "x", null, { y: true }]).success).toBe(true);
  });
});
