import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

type Op = { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>; requestBody?: unknown };

describe("OpenAPI document", () => {
  const doc = openApiDocument() as unknown as { openapi: string; paths: Record<string, Record<string, Op>>; components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, unknown> } };

  it("is OpenAPI 3.1 with a bearer scheme", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.components.securitySchemes.bearer?.scheme).toBe("bearer");
  });

  it("describes every /api/v1 route, connectors answering 202 with the accepted-report schema", () => {
    const expected: [string, string][] = [
      ["/api/v1/clusters/{name}/inventory", "put"],
      ["/api/v1/reports/trivy", "post"],
      ["/api/v1/sbom", "post"],
      ["/api/v1/events/falco", "post"],
      ["/api/v1/registries/{name}/images", "post"],
      ["/api/v1/reports/{id}", "get"],
      ["/api/v1/overview", "get"],
      ["/api/v1/clusters/{id}", "get"],
      ["/api/v1/workloads/{id}", "get"],
      ["/api/v1/findings/{id}", "get"],
      ["/api/v1/members", "get"],
      ["/api/v1/members/{membershipId}", "patch"],
      ["/api/v1/members/{membershipId}", "delete"],
      ["/api/v1/members/invitations", "post"],
      ["/api/v1/invitations/accept", "post"],
      ["/api/v1/policies", "get"],
      ["/api/v1/policies", "post"],
      ["/api/v1/policies/{key}", "get"],
      ["/api/v1/policies/{key}", "put"],
      ["/api/v1/policies/{key}", "delete"],
      ["/api/v1/policies/{key}/clone", "post"],
      ["/api/v1/policies/{key}/versions", "get"],
      ["/api/v1/policies/{key}/versions/{version}", "get"],
      ["/api/v1/policies/{key}/revert", "post"],
      ["/api/v1/enforcement/public-key", "get"],
      ["/api/v1/enforcement/bundle", "get"],
      ["/api/v1/enforcement/heartbeat", "post"],
      ["/api/v1/enforcement/decisions", "post"],
      ["/api/v1/admission/review", "post"],
      ["/api/v1/admission/decisions", "get"],
      ["/api/v1/policies/preview", "post"],
      ["/api/v1/settings/allowed-deployers", "get"],
      ["/api/v1/settings/allowed-deployers", "post"],
      ["/api/v1/settings/allowed-deployers/{id}", "delete"],
      ["/api/v1/enforcement/points", "get"],
      ["/api/v1/exceptions", "get"],
      ["/api/v1/exceptions", "post"],
      ["/api/v1/exceptions/{id}", "get"],
      ["/api/v1/exceptions/{id}/approve", "post"],
      ["/api/v1/exceptions/{id}/reject", "post"],
      ["/api/v1/exceptions/{id}/revoke", "post"],
      ["/api/v1/scan-runs", "get"],
      ["/api/v1/scan-runs", "post"],
      ["/api/v1/scan-runs/{id}", "get"],
      ["/api/v1/settings/rescan-schedule", "get"],
      ["/api/v1/settings/rescan-schedule", "put"],
      ["/api/v1/advisories", "get"],
      ["/api/v1/advisories/{id}", "get"],
      ["/api/v1/vulnerabilities/fix-leverage", "get"],
      ["/api/v1/audit-log", "get"],
      ["/api/v1/openapi.json", "get"],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    for (const path of ["/api/v1/clusters/{name}/inventory", "/api/v1/reports/trivy", "/api/v1/sbom", "/api/v1/events/falco", "/api/v1/registries/{name}/images"]) {
      const op = Object.values(doc.paths[path]!)[0]!;
      expect(op.responses["202"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/AcceptedReport");
      expect(op.responses["415"]?.content?.["application/problem+json"]?.schema?.$ref).toBe("#/components/schemas/Problem");
      expect(op.requestBody).toBeDefined();
      expect(op.security).toEqual([{ bearer: [] }]);
    }
    expect(doc.components.schemas.RegistryImagesReport).toBeDefined();
  });
});
