import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { allowedDeployerInputSchema, previewPolicyImpactSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Rolling policies out safely: impact preview, who may deploy (T1610), and the enforcement points'
// state (drift, excluded namespaces).

export function registerRolloutPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const violation = z.object({ message: z.string(), container: z.string().optional(), path: z.string().optional(), evidence: z.string().optional() });
  const impact = z
    .object({
      policyId: z.string(),
      evaluated: z.number().int().meta({ description: "Live workloads evaluated" }),
      failing: z.number().int(),
      waived: z.number().int().meta({ description: "Failing workloads whose violations approved exceptions waive" }),
      errors: z.number().int().meta({ description: "Workloads the draft could not evaluate (e.g. a CEL runtime error)" }),
      durationMs: z.number().int(),
      clusters: z.array(
        z.object({
          cluster: z.string(),
          enforcement: z.enum(["AUDIT", "WARN", "ENFORCE"]).meta({ description: "What the cluster would do: the draft's per-cluster override or its enforcement" }),
          evaluated: z.number().int(),
          failing: z.number().int(),
          waived: z.number().int(),
          truncated: z.boolean().meta({ description: "More failing workloads than listed (100 per cluster)" }),
          workloads: z.array(z.object({ id: z.string(), namespace: z.string(), kind: z.string(), name: z.string(), violations: z.array(violation) })),
        }),
      ),
    })
    .meta({ id: "PolicyImpact" });
  r.registerPath({
    tags: ["Policies"],
    method: "post",
    path: "/api/v1/policies/preview",
    summary: "Impact preview of a draft policy",
    description: "ADMIN+. Runs the draft against the organization's current inventory (approved exceptions applied) and saves nothing. An invalid draft is a 400 naming `definition.<path>` with line and column for CEL.",
    request: { body: { required: true, content: { "application/json": { schema: previewPolicyImpactSchema } } } },
    responses: { ...ok(impact), ...problems(400, 401, 403, 413, 415) },
  });

  const deployer = z
    .object({ id: z.string(), namespace: z.string(), subject: z.string(), note: z.string().nullable(), createdAt: dateTime, createdBy: z.object({ email: z.string() }).nullable() })
    .meta({ id: "AllowedDeployer" });
  const settings = { tags: ["Settings"] };
  r.registerPath({
    ...settings,
    method: "get",
    path: "/api/v1/settings/allowed-deployers",
    summary: "Allowed deployers",
    description: "Any member, or a token with `policy:read`. Who may create or update workloads in which namespace (`*` = all), used by the built-in `unauthorized-deployer` policy (T1610) and carried in policy bundles.",
    responses: { ...ok(z.object({ items: z.array(deployer) })), ...problems(401, 403) },
  });
  r.registerPath({
    ...settings,
    method: "post",
    path: "/api/v1/settings/allowed-deployers",
    summary: "Allow a deployer",
    description: "ADMIN+ (audited). Subjects: a username, `system:serviceaccount:<namespace>:<name>`, or `group:<name>`.",
    request: { body: { required: true, content: { "application/json": { schema: allowedDeployerInputSchema } } } },
    responses: { 201: { description: "Created", content: { "application/json": { schema: deployer } } }, ...problems(400, 401, 403, 409, 415) },
  });
  r.registerPath({
    ...settings,
    method: "delete",
    path: "/api/v1/settings/allowed-deployers/{id}",
    summary: "Remove an allowed deployer",
    description: "ADMIN+ (audited). Another organization's id is a 404.",
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: "Removed" }, ...problems(401, 403, 404) },
  });

  const point = z
    .object({
      id: z.string(),
      name: z.string(),
      cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
      agentVersion: z.string().nullable(),
      bundleVersion: z.number().int().nullable().meta({ description: "The bundle version it last said it runs (compare with the current bundle for drift)" }),
      lastHeartbeatAt: dateTime.nullable(),
      excludedNamespaces: z.array(z.string()),
      createdAt: dateTime,
    })
    .meta({ id: "EnforcementPointSummary" });
  r.registerPath({
    tags: ["Enforcement"],
    method: "get",
    path: "/api/v1/enforcement/points",
    summary: "Enforcement points",
    description: "Any member, or a token with `policy:read`. Each point with its cluster, running bundle version and last heartbeat.",
    responses: { ...ok(z.object({ items: z.array(point) })), ...problems(401, 403) },
  });
}
