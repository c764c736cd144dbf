import { describe, expect, it } from "vitest";
import { postureScore } from "./posture-score.ts";

describe("postureScore", () => {
  it("is 100 with nothing open", () => {
    expect(postureScore({}, 40)).toBe(100);
    expect(postureScore({ INFO: 500 }, 1)).toBe(100);
  });
  it("is 50 with one critical per workload", () => {
    expect(postureScore({ CRITICAL: 40 }, 40)).toBe(50);
  });
  it("weighs severities and never leaves 0..100", () => {
    const highs = postureScore({ HIGH: 10 }, 10);
    const crits = postureScore({ CRITICAL: 10 }, 10);
    expect(highs).toBeGreaterThan(crits);
    expect(postureScore({ CRITICAL: 1e9 }, 1)).toBeGreaterThanOrEqual(0);
  });
  it("treats an empty estate as one workload", () => {
    expect(postureScore({ CRITICAL: 1 }, 0)).toBe(postureScore({ CRITICAL: 1 }, 1));
  });
});
