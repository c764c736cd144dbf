import { describe, expect, it } from "vitest";
import { admissionResponse, boundedWarnings, exceedsDepth, failureResponse, MAX_WARNINGS, parseAdmissionReview, reviewUid } from "./review.ts";

describe("AdmissionReview v1 wire format", () => {
  it("answers with the uid, a 403 status only when denied, and bounded warnings", () => {
    expect(admissionResponse("u1", true, "", [])).toEqual({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "u1", allowed: true } });
    expect(admissionResponse("u2", false, "no", ["w"]).response).toEqual({ uid: "u2", allowed: false, status: { code: 403, message: "no" }, warnings: ["w"] });
    const many = boundedWarnings(Array.from({ length: 30 }, (_, i) => `w${i}`.padEnd(300, "x")));
    expect(many).toHaveLength(MAX_WARNINGS);
    expect(many.every((w) => w.length <= 256)).toBe(true);
    expect(many.at(-1)).toBe("… and 11 more Bulwark warnings");
  });

  it("decides unjudgeable reviews by the failure policy", () => {
    expect(failureResponse("u", "Fail", "why").response).toMatchObject({ uid: "u", allowed: false, status: { code: 403, message: "Bulwark could not judge this request: why (denied: failurePolicy=Fail)" } });
    expect(failureResponse("u", "Ignore", "why").response).toEqual({ uid: "u", allowed: true, warnings: ["Bulwark could not judge this request: why (allowed: failurePolicy=Ignore)"] });
  });

  it("parses well-formed reviews and names the first problem of malformed ones, keeping a readable uid", () => {
    const ok = parseAdmissionReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "a", kind: { kind: "Pod" }, operation: "CREATE", extra: 1 } });
    expect(ok).toMatchObject({ ok: true, request: { uid: "a", kind: { group: "", version: "", kind: "Pod" }, userInfo: { username: "", groups: [] } } });
    const bad = parseAdmissionReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "b", kind: { kind: "Pod" }, operation: "PATCH" } });
    expect(bad).toMatchObject({ ok: false, uid: "b" });
    if (!bad.ok) expect(bad.reason).toMatch(/^the AdmissionReview is malformed \(request\.operation: .*\); send admission\.k8s\.io\/v1$/);
    expect(parseAdmissionReview(null)).toMatchObject({ ok: false, uid: "" });
    expect(reviewUid({ request: { uid: "x".repeat(201) } })).toBe("");
  });

  it("detects hostile nesting without recursion", () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(exceedsDepth(deep, 100)).toBe(true);
    expect(exceedsDepth({ a: { b: [1, { c: 2 }] } }, 100)).toBe(false);
    expect(exceedsDepth({ a: { b: {} } }, 2)).toBe(true);
    expect(exceedsDepth({ a: { b: 1 } }, 2)).toBe(false);
  });
});
