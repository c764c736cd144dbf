import { describe, expect, it } from "vitest";
import { admissionResponse, admissionReviewSchema, boundedWarnings, exceedsDepth, failureResponse, MAX_WARNINGS, parseAdmissionReview, reviewUid } from "./review.ts";

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

  it("reads every review exactly as the schema does: same request (keys, order, defaults) or the same error", () => {
    const base = () => ({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: {
        uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
        kind: { group: "apps", version: "v1", kind: "Deployment" },
        resource: { group: "apps", version: "v1", resource: "deployments" },
        name: "web",
        namespace: "payments",
        operation: "CREATE",
        userInfo: { username: "alice", uid: "u-1", groups: ["devs", "system:authenticated"], extra: { scopes: ["a"] } },
        object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 1 } },
        oldObject: null,
        dryRun: false,
        options: { kind: "CreateOptions" },
      },
    });
    const withSymbol = { a: 1, [Symbol("s")]: 2 };
    const hidden = Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
    const values: unknown[] = [
      undefined, null, "", "x", "CREATE", "DELETE", "x".repeat(101), "x".repeat(201), "x".repeat(254), "x".repeat(1001), 0, 1, true, false,
      [], ["a"], [1], Array.from({ length: 1001 }, () => "g"), ["x".repeat(1001)], {}, { a: 1 }, Object.create(null), JSON.parse('{"__proto__": {"p": 1}, "a": 1}'),
      JSON.parse('{"constructor": {"prototype": 1}, "a": 1}'), new Date(0), withSymbol, hidden, { group: "", version: "v1", kind: "Pod" }, { kind: "Pod" }, { username: "bob" },
    ];
    const paths = [
      [], ["apiVersion"], ["kind"], ["request"], ["request", "uid"], ["request", "kind"], ["request", "kind", "group"], ["request", "kind", "version"], ["request", "kind", "kind"],
      ["request", "kind", "extra"], ["request", "kind", "__proto__"], ["request", "operation"], ["request", "namespace"], ["request", "name"], ["request", "object"], ["request", "oldObject"],
      ["request", "userInfo"], ["request", "userInfo", "username"], ["request", "userInfo", "uid"], ["request", "userInfo", "groups"], ["request", "userInfo", "groups", "0"],
      ["request", "userInfo", "extra"], ["request", "dryRun"], ["request", "extra"], ["request", "__proto__"], ["request", "object", "metadata"],
    ];
    // Same keys in the same order, same prototypes, same values (passed-through values by identity).
    const same = (a: unknown, b: unknown): boolean => {
      if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
      if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
      const ka = Reflect.ownKeys(a);
      const kb = Reflect.ownKeys(b);
      return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]));
    };
    let checked = 0;
    let accepted = 0;
    for (const path of paths) {
      for (const [v, value] of values.entries()) {
        for (const mode of ["set", "delete"] as const) {
          if (mode === "delete" && (path.length === 0 || value !== undefined)) continue;
          let body: unknown = base();
          if (path.length === 0) body = value;
          else {
            let parent = body as Record<string, unknown>;
            for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
            const last = path.at(-1)!;
            if (mode === "delete") delete parent[last];
            else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
          }
          const expected = admissionReviewSchema.safeParse(body);
          const actual = parseAdmissionReview(body);
          const label = `${path.join(".")} = values[${v}] (${mode})`;
          checked++;
          if (expected.success) {
            accepted++;
            expect(actual.ok, label).toBe(true);
            if (actual.ok) expect(same(actual.request, expected.data.request), label).toBe(true);
          } else {
            expect(actual.ok, label).toBe(false);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(700);
    expect(accepted).toBeGreaterThan(100);
    // The well-formed review itself is read without zod and still equals zod's reading.
    const parsed = parseAdmissionReview(base());
    expect(parsed.ok && same(parsed.request, admissionReviewSchema.parse(base()).request)).toBe(true);
  });
});
