import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

// The Runtime API is described with the schemas its routes validate with.

type Op = { tags?: string[]; parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, unknown> };

describe("OpenAPI: runtime", () => {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

  it("describes every runtime route with its parameters and answers", () => {
    const expected: [string, string][] = [
      ["/api/v1/runtime/findings", "get"],
      ["/api/v1/runtime/findings/{id}", "get"],
      ["/api/v1/runtime/findings/{id}/events", "get"],
      ["/api/v1/runtime/activity", "get"],
      ["/api/v1/runtime/baselines", "get"],
      ["/api/v1/runtime/baselines/{id}", "get"],
      ["/api/v1/runtime/baselines/{id}/lock", "post"],
      ["/api/v1/runtime/baselines/{id}/reset", "post"],
      ["/api/v1/runtime/baselines/{id}/processes", "post"],
      ["/api/v1/settings/runtime", "get"],
      ["/api/v1/settings/runtime", "put"],
    ];
    for (const [path, method] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op!.tags).toEqual(["Runtime"]);
      expect(op!.responses["401"]).toBeDefined();
    }
    const list = doc.paths["/api/v1/runtime/findings"]!.get!;
    expect(list.parameters?.filter((p) => p.in === "query").map((p) => p.name)).toEqual(
      expect.arrayContaining(["status", "severity", "cluster", "namespace", "workload", "rule", "technique", "source", "since", "q", "sort", "cursor", "limit"]),
    );
    expect(doc.paths["/api/v1/runtime/baselines/{id}/processes"]!.post!.requestBody).toBeDefined();
    expect(doc.paths["/api/v1/settings/runtime"]!.put!.requestBody).toBeDefined();
    for (const name of ["RuntimeFinding", "RuntimeFindingDetail", "RuntimeEvent", "ProcessBaseline", "RuntimeSettings"]) expect(doc.components.schemas[name], name).toBeDefined();
  });
});
