import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

// The runtime response routes are in the API description, with their schemas and the errors they answer.

type Op = { security?: unknown[]; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>; requestBody?: unknown };

describe("OpenAPI: runtime response", () => {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

  it("describes claim, result, list and cancel", () => {
    const claim = doc.paths["/api/v1/enforcement/actions"]?.get;
    expect(claim?.security).toEqual([{ bearer: [] }]);
    expect(claim?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(["query:limit", "query:point", "query:wait"]);
    expect(Object.keys(claim?.responses ?? {})).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "429"]));
    const report = doc.paths["/api/v1/enforcement/actions/{id}/result"]?.post;
    expect(report?.requestBody).toBeDefined();
    expect(report?.responses["200"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/ResponseAction");
    expect(Object.keys(report?.responses ?? {})).toEqual(expect.arrayContaining(["409", "413"]));
    expect(doc.paths["/api/v1/response-actions"]?.get?.parameters?.map((p) => p.name).sort()).toEqual(["cluster", "cursor", "limit", "policy", "status"]);
    expect(Object.keys(doc.paths["/api/v1/response-actions/{id}/cancel"]?.post?.responses ?? {})).toEqual(expect.arrayContaining(["200", "403", "404", "409"]));
    expect(doc.components.schemas.ClaimedEnforcementAction).toBeDefined();
  });
});
