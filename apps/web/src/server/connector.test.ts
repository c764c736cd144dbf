import { isAppError } from "@bulwark/core";
import { describe, expect, it } from "vitest";
import { parseName } from "./connector.ts";

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
