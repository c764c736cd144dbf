import { describe, expect, it } from "vitest";
import { readPreviewResponse } from "./preview.ts";

const body = {
  policyId: "p",
  evaluated: 120,
  failing: 2,
  durationMs: 41.7,
  waived: 1,
  errors: 0,
  clusters: [
    {
      cluster: "prod",
      enforcement: "ENFORCE",
      waived: 1,
      evaluated: 100,
      failing: 2,
      truncated: false,
      workloads: [{ id: "w1", namespace: "default", kind: "Deployment", name: "web", violations: [{ message: "privileged", container: "app", path: "spec.template.spec.containers[0]", evidence: "privileged: true" }] }],
    },
  ],
};

describe("readPreviewResponse", () => {
  it("accepts the documented 200 body", () => {
    const r = readPreviewResponse(200, body);
    expect(r.ok && r.result.clusters[0]!.workloads[0]!.violations[0]!.container).toBe("app");
    expect(r.ok && r.result.clusters[0]!.enforcement).toBe("ENFORCE");
    expect(r.ok && r.result.waived).toBe(1);
    // The lead's optional fields may be absent: the minimal documented body parses too.
    const minimal = { ...body, waived: undefined, errors: undefined, clusters: [{ cluster: "c", evaluated: 1, failing: 0, workloads: [] }] };
    expect(readPreviewResponse(200, minimal).ok).toBe(true);
  });

  it("turns an unexpected 200 body into an error instead of a crash", () => {
    expect(readPreviewResponse(200, { evaluated: "many" })).toMatchObject({ ok: false, error: expect.stringContaining("unexpected") });
  });

  it("returns the problem's field errors for an invalid draft", () => {
    const r = readPreviewResponse(400, { title: "Validation failed", detail: "The policy definition is invalid", fields: [{ path: "definition.rule.expression", message: "syntax error (line 1, column 3)" }] });
    expect(r).toEqual({ ok: false, error: "The policy definition is invalid", fields: [{ path: "definition.rule.expression", message: "syntax error (line 1, column 3)" }] });
  });

  it("explains a missing endpoint, a refused role and server errors without echoing internals", () => {
    expect(readPreviewResponse(404, null)).toMatchObject({ ok: false, error: expect.stringContaining("not available") });
    expect(readPreviewResponse(403, {})).toMatchObject({ ok: false, error: expect.stringContaining("administrators") });
    expect(readPreviewResponse(500, { detail: "stack trace" })).toEqual({ ok: false, error: "The preview failed on the server. Please try again.", fields: [] });
  });
});
