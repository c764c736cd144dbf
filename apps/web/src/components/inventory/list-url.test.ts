import { describe, expect, it } from "vitest";
import { currentSort, findingsHref, hasFilters, listHref, readParams, sortHref } from "./list-url.ts";

describe("inventory list URLs", () => {
  it("reads the first value of allowed keys and drops empty ones", () => {
    expect(readParams({ cluster: ["prod", "x"], q: "  ", kind: " Deployment ", other: "y" }, ["cluster", "q", "kind"])).toEqual({ cluster: "prod", kind: "Deployment" });
  });

  it("builds hrefs that keep filters, drop the cursor unless set, and flip or default the sort", () => {
    const params = { cluster: "prod eu", sort: "risk", cursor: "abc" };
    expect(listHref("/workloads", params)).toBe("/workloads?cluster=prod+eu&sort=risk");
    expect(listHref("/workloads", params, { cursor: "next" })).toBe("/workloads?cluster=prod+eu&sort=risk&cursor=next");
    const sort = currentSort(params, "risk", ["name"]);
    expect(sort).toEqual({ column: "risk", dir: "desc" });
    expect(sortHref("/workloads", params, sort, "risk", ["name"])).toBe("/workloads?cluster=prod+eu&sort=risk&dir=asc");
    expect(sortHref("/workloads", params, sort, "name", ["name"])).toBe("/workloads?cluster=prod+eu&sort=name&dir=asc");
    expect(currentSort({}, "name", ["name"])).toEqual({ column: "name", dir: "asc" });
    expect(hasFilters({ sort: "name", cursor: "x" })).toBe(false);
    expect(hasFilters({ q: "a" })).toBe(true);
  });

  it("links findings by the URL contract", () => {
    expect(findingsHref({ cluster: "prod", namespace: "shop", severity: "CRITICAL" })).toBe("/findings?cluster=prod&namespace=shop&severity=CRITICAL");
    expect(findingsHref({ image: "img1", severity: "HIGH", fixable: true })).toBe("/findings?image=img1&severity=HIGH&fixable=true");
    expect(findingsHref({})).toBe("/findings");
  });
});
