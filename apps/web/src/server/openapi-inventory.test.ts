import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

type Op = { description?: string; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };

describe("OpenAPI inventory paths", () => {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Op>> };

  it("describes the lists with their query parameters and the detail shapes", () => {
    const workloads = doc.paths["/api/v1/workloads"]?.get;
    expect(workloads?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["cluster", "namespace", "kind", "pssLevel", "minRisk", "exposed", "deleted", "q", "sort", "dir", "cursor", "limit"]));
    for (const path of ["/api/v1/clusters", "/api/v1/namespaces", "/api/v1/images", "/api/v1/images/{id}"]) expect(doc.paths[path]?.get, path).toBeDefined();
    expect(doc.paths["/api/v1/images"]?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["registry", "fixableCritical", "signature", "malware", "running"]));
    expect(doc.paths["/api/v1/clusters/{id}"]?.get?.description).toContain("posture");
    expect(doc.paths["/api/v1/workloads/{id}"]?.get?.description).toContain("specYaml");
    expect(doc.paths["/api/v1/images/{id}"]?.get?.responses["404"]).toBeDefined();
  });
});
