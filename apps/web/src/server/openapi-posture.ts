import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { policyReportQuerySchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Posture exports: the stored policy results of a cluster as Kubernetes PolicyReports (docs/posture.md).

export function registerPosturePaths(r: OpenAPIRegistry, { problems }: OpenApiHelpers): void {
  const objectRef = z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string(), uid: z.string().optional() });
  const result = z.object({
    source: z.literal("bulwark"),
    policy: z.string().meta({ description: "Policy key", example: "no-privileged" }),
    rule: z.string(),
    category: z.string(),
    severity: z.enum(["critical", "high", "medium", "low", "info"]),
    result: z.enum(["pass", "fail", "warn", "error", "skip"]).meta({ description: "warn: an INFO policy failed (not scored); skip: an approved exception waives every violation" }),
    scored: z.boolean(),
    message: z.string(),
    timestamp: z.object({ seconds: z.number().int(), nanos: z.number().int() }).meta({ description: "When the workload was last evaluated" }),
    resources: z.array(objectRef),
    properties: z.record(z.string(), z.string()).meta({ description: "title, cluster, workloadId, containers (comma-separated)" }),
  });
  const summary = z.object({ pass: z.number().int(), fail: z.number().int(), warn: z.number().int(), error: z.number().int(), skip: z.number().int() });
  const report = z
    .object({
      apiVersion: z.literal("wgpolicyk8s.io/v1alpha2"),
      kind: z.literal("PolicyReport"),
      metadata: z.object({ name: z.string().meta({ example: "bulwark-shop" }), namespace: z.string(), labels: z.record(z.string(), z.string()), annotations: z.record(z.string(), z.string()) }),
      summary,
      results: z.array(result),
    })
    .meta({ id: "PolicyReport" });
  const list = z.object({ apiVersion: z.literal("v1"), kind: z.literal("List"), metadata: z.object({}), items: z.array(report) }).meta({ id: "PolicyReportList" });
  r.registerPath({
    tags: ["Posture"],
    method: "get",
    path: "/api/v1/clusters/{name}/policyreports",
    summary: "Policy results as Kubernetes PolicyReports",
    description:
      "Any member, or a token with `read`. The stored results of the organization's enabled policies for the cluster's live workloads, as a v1 `List` of `wgpolicyk8s.io/v1alpha2` PolicyReports, one per namespace (`bulwark-<namespace>`), for Policy Reporter or `kubectl apply -f -`. `?format=yaml` answers `application/yaml`. The path segment is the cluster name; another organization's cluster is a 404.",
    request: { params: z.object({ name: z.string().meta({ description: "Cluster name", example: "prod" }) }), query: policyReportQuerySchema },
    responses: {
      200: { description: "OK", content: { "application/json": { schema: list }, "application/yaml": { schema: z.string() } } },
      ...problems(400, 401, 403, 404),
    },
  });
}
