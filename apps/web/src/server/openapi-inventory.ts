import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { imageDetailSchema, listClustersSchema, listImagesSchema, listNamespacesSchema, listWorkloadsSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Inventory: clusters, namespaces, workloads and images (docs/inventory.md). Lists are keyset-paged:
// pass nextCursor as cursor, with the same filters and sort.

export function registerInventoryPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const ref = z.object({ id: z.string(), name: z.string() });
  const counts = z
    .object({ CRITICAL: z.number().int(), HIGH: z.number().int(), MEDIUM: z.number().int(), LOW: z.number().int(), INFO: z.number().int(), total: z.number().int() })
    .meta({ id: "SeverityCounts", description: "Open findings by severity" });
  const page = (item: z.ZodType, id: string) => z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page" }) }).meta({ id });
  const base = { tags: ["Posture"], security: [{ bearer: [] }] };
  const reader = "Any member, or a token with `read`.";
  const idParam = z.object({ id: z.string() });

  const cluster = z.object({
    id: z.string(),
    name: z.string(),
    provider: z.string().nullable(),
    kubernetesVersion: z.string().nullable(),
    lastReportAt: dateTime.nullable(),
    stale: z.boolean().meta({ description: "No inventory report within the last hour (or never)" }),
    namespaces: z.number().int(),
    workloads: z.number().int(),
    enforcementPoints: z.number().int(),
    openFindings: counts,
  });
  const namespace = z.object({ id: z.string(), name: z.string(), cluster: ref, workloads: z.number().int(), firstSeen: dateTime, lastSeen: dateTime, openFindings: counts });
  const workload = z.object({
    id: z.string(),
    kind: z.string(),
    name: z.string(),
    cluster: ref,
    namespace: ref,
    riskScore: z.number().int(),
    pssLevel: z.enum(["restricted", "baseline", "privileged"]).nullable(),
    exposed: z.boolean(),
    containers: z.number().int(),
    lastSeen: dateTime,
    deleted: z.boolean(),
    openFindings: counts.meta({ description: "The images it runs plus its own findings" }),
  });
  const image = z.object({
    id: z.string(),
    digest: z.string(),
    registryHost: z.string(),
    repository: z.string(),
    tags: z.array(z.string()),
    osName: z.string().nullable(),
    signatureVerified: z.boolean().nullable(),
    malwareVerdict: z.string().nullable(),
    lastSeen: dateTime,
    lastScannedAt: dateTime.nullable(),
    running: z.boolean(),
    workloads: z.number().int(),
    fixableCritical: z.number().int(),
    openFindings: counts,
  });

  const list = (path: string, summary: string, query: z.ZodObject, item: z.ZodType, id: string, extra = "") =>
    r.registerPath({ ...base, method: "get", path, summary, description: `${reader} ${extra}`.trim(), request: { query }, responses: { ...ok(page(item, id)), ...problems(400, 401, 403) } });
  list("/api/v1/clusters", "List clusters", listClustersSchema, cluster.meta({ id: "ClusterRow" }), "ClusterPage", "Open findings: the cluster's own findings plus those of the images its live workloads run.");
  list("/api/v1/namespaces", "List namespaces", listNamespacesSchema, namespace.meta({ id: "NamespaceRow" }), "NamespacePage", "Live namespaces.");
  list("/api/v1/workloads", "List workloads", listWorkloadsSchema, workload.meta({ id: "WorkloadRow" }), "WorkloadPage", "Live workloads unless deleted=true.");
  list("/api/v1/images", "List images", listImagesSchema, image.meta({ id: "ImageRow" }), "ImagePage");

  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/clusters/{id}",
    summary: "A cluster",
    description: `${reader} The cluster row and _count (namespaces, workloads) as before, plus posture: open findings by severity, Pod Security Standards levels, namespaces with counts, enforcement points with the current bundle version (for drift) and staleness. Another organization's id is a 404.`,
    request: { params: idParam },
    responses: {
      ...ok(
        z
          .looseObject({
            id: z.string(),
            name: z.string(),
            lastReportAt: dateTime.nullable(),
            stale: z.boolean(),
            openFindings: counts,
            pssLevels: z.object({ restricted: z.number().int(), baseline: z.number().int(), privileged: z.number().int(), unevaluated: z.number().int() }),
            namespaces: z.array(z.looseObject({ id: z.string(), name: z.string(), workloads: z.number().int(), openFindings: counts })),
            enforcementPoints: z.array(z.looseObject({ id: z.string(), name: z.string(), bundleVersion: z.number().int().nullable(), lastHeartbeatAt: dateTime.nullable() })),
            currentBundleVersion: z.number().int().nullable(),
          })
          .meta({ id: "ClusterDetail" }),
      ),
      ...problems(401, 403, 404),
    },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/workloads/{id}",
    summary: "A workload",
    description: `${reader} The workload row with cluster, namespace and containers (with images) as before, plus specYaml, open findings (its images' and its own), policyResults (null until evaluated), risk factors, exposure, the latest 50 runtime events and latest 20 admission decisions. Another organization's id is a 404.`,
    request: { params: idParam },
    responses: {
      ...ok(
        z
          .looseObject({
            id: z.string(),
            kind: z.string(),
            name: z.string(),
            specYaml: z.string(),
            imageVulnerabilities: counts,
            ownFindings: counts,
            openFindings: counts,
            policyResults: z.array(z.looseObject({ policy: z.string(), title: z.string(), severity: z.string(), category: z.string(), result: z.string(), message: z.string().optional() })).nullable(),
            riskScore: z.number().int(),
            riskFactorsExplained: z.array(z.object({ key: z.string(), points: z.number(), reason: z.string() })),
            exposure: z.array(z.object({ service: z.string(), type: z.string(), ports: z.array(z.number()) })),
            runtimeEvents: z.array(z.looseObject({ id: z.string(), time: dateTime, rule: z.string(), priority: z.string() })),
            admissionDecisions: z.array(z.looseObject({ id: z.string(), decidedAt: dateTime, allowed: z.boolean(), policies: z.array(z.string()) })),
          })
          .meta({ id: "WorkloadDetail" }),
      ),
      ...problems(401, 403, 404),
    },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/images/{id}",
    summary: "An image",
    description: `${reader} Packages (paged by name), open findings by severity and fixable by severity, where it runs, registry trust, signature and malware verdict. Another organization's id is a 404.`,
    request: { params: idParam, query: imageDetailSchema },
    responses: {
      ...ok(
        z
          .looseObject({
            id: z.string(),
            digest: z.string(),
            ref: z.string(),
            openFindings: counts,
            fixableFindings: counts,
            trust: z.object({ registry: z.looseObject({ id: z.string(), host: z.string(), trusted: z.boolean() }).nullable(), trustedRegistries: z.array(z.string()), trusted: z.boolean().nullable() }),
            packages: z.object({ items: z.array(z.looseObject({ id: z.string(), ecosystem: z.string(), name: z.string(), version: z.string() })), total: z.number().int(), nextCursor: z.string().nullable() }),
            runsIn: z.object({ workloadCount: z.number().int(), workloads: z.array(z.looseObject({ id: z.string(), name: z.string() })), clusters: z.array(z.object({ id: z.string(), name: z.string(), workloads: z.number().int() })) }),
          })
          .meta({ id: "ImageDetail" }),
      ),
      ...problems(400, 401, 403, 404),
    },
  });
}
