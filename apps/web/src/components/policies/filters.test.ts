import { describe, expect, it } from "vitest";
import { filtersToQuery, hasFilters, parsePolicyFilters } from "./filters.ts";

describe("parsePolicyFilters", () => {
  it("keeps valid values and drops unknown or empty ones", () => {
    const f = parsePolicyFilters({ severity: "HIGH", stage: "DEPLOY", enforcement: "nope", enabled: "false", builtin: "yes", category: " workload-security ", q: "", other: "x" });
    expect(f).toEqual({ severity: "HIGH", stage: "DEPLOY", enabled: "false", category: "workload-security" });
    expect(hasFilters(f)).toBe(true);
    expect(hasFilters(parsePolicyFilters({}))).toBe(false);
  });

  it("takes the first of repeated parameters and bounds the search text", () => {
    expect(parsePolicyFilters({ severity: ["LOW", "HIGH"], q: "x".repeat(300) })).toEqual({ severity: "LOW", q: "x".repeat(200) });
  });

  it("round-trips through a query string", () => {
    const f = parsePolicyFilters({ q: "root & co", enabled: "true", enforcement: "ENFORCE" });
    const q = filtersToQuery(f);
    expect(q.startsWith("?")).toBe(true);
    expect(parsePolicyFilters(Object.fromEntries(new URLSearchParams(q.slice(1))))).toEqual(f);
    expect(filtersToQuery({})).toBe("");
  });
});
