import { listAdmissionDecisionsSchema } from "@bulwark/core";
import { describe, expect, it } from "vitest";
import {
  decisionFiltersToSearch,
  decisionQuery,
  decisionResult,
  hasDecisionFilters,
  parseBreakGlass,
  parseDecisionFilters,
  shortUser,
  toDecisionRow,
  type StoredDecision,
} from "./decisions.ts";

const stored = (over: Partial<StoredDecision> = {}): StoredDecision => ({
  id: "dec_1",
  uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
  decidedAt: new Date("2026-11-29T10:00:00.000Z"),
  receivedAt: new Date("2026-11-29T10:00:01.000Z"),
  cluster: { name: "prod-eu" },
  enforcementPoint: { name: "prod-eu-enforcer" },
  namespace: "shop",
  kind: "Pod",
  name: "web-1",
  operation: "CREATE",
  allowed: false,
  warned: false,
  policies: ["no-privileged"],
  message: "denied by no-privileged",
  userInfo: { username: "alice", groups: ["system:authenticated"] },
  breakGlass: null,
  ...over,
});

describe("decision filters in the URL", () => {
  it("reads every filter and the cursor", () => {
    const r = parseDecisionFilters({ cluster: "prod-eu", namespace: " shop ", result: "warned", policy: "no-privileged", breakGlass: "1", cursor: "dec_9" });
    expect(r).toEqual({ filters: { cluster: "prod-eu", namespace: "shop", result: "warned", policy: "no-privileged", breakGlass: true }, cursor: "dec_9" });
  });

  it("drops empty, unknown and oversized values instead of failing the page", () => {
    const r = parseDecisionFilters({ cluster: "", namespace: "   ", result: "maybe", policy: "p".repeat(101), breakGlass: "0", cursor: "c".repeat(101) });
    expect(r).toEqual({ filters: {} });
    expect(hasDecisionFilters(r.filters)).toBe(false);
  });

  it("takes the first of repeated parameters and accepts URLSearchParams", () => {
    expect(parseDecisionFilters({ cluster: ["a", "b"] }).filters.cluster).toBe("a");
    expect(parseDecisionFilters(new URLSearchParams("result=denied&breakGlass=on")).filters).toEqual({ result: "denied", breakGlass: true });
  });

  it("writes filters back in a stable order and round-trips them", () => {
    const filters = { policy: "no-privileged", breakGlass: true as const, cluster: "prod eu", result: "denied" as const };
    const search = decisionFiltersToSearch(filters, "dec_5");
    expect(search).toBe("?cluster=prod+eu&result=denied&policy=no-privileged&breakGlass=1&cursor=dec_5");
    expect(parseDecisionFilters(new URLSearchParams(search))).toEqual({ filters: { cluster: "prod eu", result: "denied", policy: "no-privileged", breakGlass: true }, cursor: "dec_5" });
    expect(decisionFiltersToSearch({})).toBe("");
  });
});

describe("decision query", () => {
  it("maps results onto allowed/warned and passes the rest through", () => {
    expect(decisionQuery({ result: "allowed" })).toEqual({ limit: 50, allowed: "true", warned: "false" });
    expect(decisionQuery({ result: "warned" })).toEqual({ limit: 50, allowed: "true", warned: "true" });
    expect(decisionQuery({ result: "denied" })).toEqual({ limit: 50, allowed: "false" });
    expect(decisionQuery({ cluster: "c", namespace: "n", policy: "p", breakGlass: true }, "cur", 10)).toEqual({
      limit: 10,
      cluster: "c",
      namespace: "n",
      policy: "p",
      breakGlass: "true",
      cursor: "cur",
    });
  });

  it("builds queries the use case accepts, with the meaning intended", () => {
    const parse = (f: Parameters<typeof decisionQuery>[0]) => listAdmissionDecisionsSchema.strict().parse(decisionQuery(f, "dec_1"));
    expect(parse({ result: "allowed" })).toMatchObject({ allowed: true, warned: false, cursor: "dec_1", limit: 50 });
    expect(parse({ result: "warned" })).toMatchObject({ allowed: true, warned: true });
    expect(parse({ result: "denied", breakGlass: true, cluster: "prod-eu", namespace: "shop", policy: "no-privileged" })).toMatchObject({
      allowed: false,
      breakGlass: true,
      cluster: "prod-eu",
      namespace: "shop",
      policy: "no-privileged",
    });
  });
});

describe("decision rows", () => {
  it("classifies results: break-glass, then denied, then warned", () => {
    const bg = { reason: "r", expiresAt: null, policies: [] };
    expect(decisionResult({ allowed: true, warned: false, breakGlass: null })).toBe("allowed");
    expect(decisionResult({ allowed: true, warned: true, breakGlass: null })).toBe("warned");
    expect(decisionResult({ allowed: false, warned: true, breakGlass: null })).toBe("denied");
    expect(decisionResult({ allowed: true, warned: false, breakGlass: bg })).toBe("break-glass");
  });

  it("marks a break-glass admission as such", () => {
    const row = toDecisionRow(stored({ allowed: true, breakGlass: { reason: "outage INC-7", expiresAt: "2026-11-29T11:00:00Z", policies: ["no-privileged"] } }));
    expect(row.result).toBe("break-glass");
    expect(row.breakGlass).toEqual({ reason: "outage INC-7", expiresAt: "2026-11-29T11:00:00Z", policies: ["no-privileged"] });
  });

  it("serialises a stored decision for the table", () => {
    expect(toDecisionRow(stored())).toEqual({
      id: "dec_1",
      uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
      decidedAt: "2026-11-29T10:00:00.000Z",
      receivedAt: "2026-11-29T10:00:01.000Z",
      cluster: "prod-eu",
      enforcementPoint: "prod-eu-enforcer",
      namespace: "shop",
      kind: "Pod",
      name: "web-1",
      operation: "CREATE",
      allowed: false,
      warned: false,
      policies: ["no-privileged"],
      message: "denied by no-privileged",
      username: "alice",
      groups: ["system:authenticated"],
      breakGlass: null,
      result: "denied",
    });
  });

  it("shortens service account names and leaves other users alone", () => {
    expect(shortUser("system:serviceaccount:argocd:argocd-application-controller")).toBe("sa argocd/argocd-application-controller");
    expect(shortUser("alice@example.com")).toBe("alice@example.com");
    expect(shortUser("system:serviceaccount:broken")).toBe("system:serviceaccount:broken");
  });

  it("reads partial or malformed JSON columns defensively", () => {
    expect(parseBreakGlass(null)).toBeNull();
    expect(parseBreakGlass("yes")).toBeNull();
    expect(parseBreakGlass([])).toBeNull();
    expect(parseBreakGlass({ reason: "outage", policies: ["a", 3] })).toEqual({ reason: "outage", expiresAt: null, policies: ["a"] });
    const row = toDecisionRow(stored({ userInfo: { username: "" }, cluster: null, enforcementPoint: null }));
    expect(row).toMatchObject({ username: null, groups: [], cluster: null, enforcementPoint: null });
  });
});
