import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { complianceQuerySchema, PRACTICES } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Compliance (five practices, Pod Security Standards pass rates, the ATT&CK for Containers matrix) and
// the Prometheus scrape endpoint (docs/compliance.md).

export function registerCompliancePaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const ratio = z.number().min(0).max(1).nullable();
  const severity = z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]).nullable().meta({ description: "Highest severity among the open findings; null when none" });
  const practice = z
    .object({
      practice: z.enum(PRACTICES),
      label: z.string(),
      compliant: z.number().int(),
      total: z.number().int().meta({ description: "Live workloads (the denominator)" }),
      unevaluated: z.number().int().meta({ description: "Workloads without a verdict for this practice yet (in total, not in compliant)" }),
      ratio: ratio.meta({ description: "compliant / total; null with no workloads or when not configured" }),
      notConfigured: z.boolean().meta({ description: "Trusted images only: the organization marks no registry trusted, so no workload has a verdict" }),
    })
    .meta({ id: "PracticeStat" });
  const pss = z
    .object({
      baseline: z.number().int().meta({ description: "Workloads meeting baseline (level baseline or restricted)" }),
      restricted: z.number().int(),
      privileged: z.number().int().meta({ description: "Workloads failing baseline" }),
      unevaluated: z.number().int(),
      evaluated: z.number().int(),
      baselineRatio: ratio.meta({ description: "baseline / evaluated" }),
      restrictedRatio: ratio.meta({ description: "restricted / evaluated" }),
    })
    .meta({ id: "PssStat" });
  const scope = { workloads: z.number().int(), practices: z.array(practice), pss };
  const count = { id: z.string().meta({ example: "T1611" }), open: z.number().int(), maxSeverity: severity };
  const cell = z
    .object({
      ...count,
      name: z.string(),
      enterprise: z.boolean().meta({ description: "An Enterprise technique outside the Containers platform that Bulwark detects in containers" }),
      open: z.number().int().meta({ description: "Open findings tagged with the technique or any of its sub-techniques (each finding once)" }),
      subTechniques: z.array(z.object({ ...count, name: z.string() })),
    })
    .meta({ id: "AttackCell" });
  const compliance = z
    .object({
      cluster: z.string().nullable(),
      generatedAt: z.iso.datetime(),
      summary: z.object(scope),
      clusters: z.array(z.object({ id: z.string(), name: z.string(), ...scope })),
      namespaces: z.array(z.object({ clusterId: z.string(), cluster: z.string(), id: z.string(), name: z.string(), workloads: z.number().int(), pss })),
      attack: z.object({
        version: z.string().meta({ description: "ATT&CK version the matrix follows" }),
        tactics: z.array(z.object({ id: z.string().meta({ example: "TA0004" }), name: z.string(), techniques: z.array(cell) })),
        other: z.array(z.object(count)).meta({ description: "Technique ids on open findings with no cell in the matrix" }),
      }),
    })
    .meta({ id: "Compliance" });

  r.registerPath({
    tags: ["Posture"],
    security: [{ bearer: [] }],
    method: "get",
    path: "/api/v1/compliance",
    summary: "Five practices, Pod Security Standards and the ATT&CK matrix",
    description:
      "Any member, or a token with `read`. Practices are shares of live workloads; PSS pass rates are over evaluated workloads; matrix cells count OPEN findings, with sub-technique findings also counted in their parent's cell. `cluster` (a name) narrows everything to one cluster; an unknown name is a 404.",
    request: { query: complianceQuerySchema },
    responses: { ...ok(compliance), ...problems(400, 401, 403, 404) },
  });
  r.registerPath({
    tags: ["Posture"],
    security: [{ bearer: [] }],
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics",
    description:
      "A token with the `metrics` scope (Bearer; sessions are not accepted). Gauges: bulwark_open_findings{cluster,severity,type}, bulwark_posture_score, bulwark_workloads{cluster}, bulwark_practice_compliance_ratio{practice,cluster}, bulwark_pss_pass_ratio{level,cluster}, bulwark_connector_last_report_timestamp_seconds{cluster}, bulwark_connector_stale{cluster}, bulwark_enforcement_points{cluster,health}. An image finding counts toward every cluster where the image runs; cluster=\"\" holds images running nowhere.",
    responses: {
      200: { description: "Prometheus text exposition format 0.0.4", content: { "text/plain; version=0.0.4; charset=utf-8": { schema: z.string().meta({ example: 'bulwark_workloads{cluster="prod"} 42' }) } } },
      ...problems(401, 403),
    },
  });
}
