import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import {
  ERROR_CODES,
  SUPPORTED_CYCLONEDX_VERSIONS,
  TOKEN_SCOPES,
  acceptInvitationSchema,
  changeMemberRoleSchema,
  clonePolicySchema,
  createPolicySchema,
  idempotencyKeySchema,
  inviteMemberSchema,
  listAuditLogSchema,
  listPoliciesSchema,
  registryImagesReportSchema,
  revertPolicySchema,
  updatePolicySchema,
} from "@bulwark/core";
import { z } from "zod";
import { resourceNameSchema } from "./connector.ts";
import { registerAdmissionPaths } from "./openapi-admission.ts";
import { registerCompliancePaths } from "./openapi-compliance.ts";
import { registerEnforcementPaths } from "./openapi-enforcement.ts";
import { registerExceptionPaths } from "./openapi-exceptions.ts";
import { registerFindingPaths } from "./openapi-findings.ts";
import { registerInventoryPaths } from "./openapi-inventory.ts";
import { registerRolloutPaths } from "./openapi-rollout.ts";
import { registerVulnerabilityPaths } from "./openapi-vulnerabilities.ts";
import { registerPosturePaths } from "./openapi-posture.ts";
import { registerNotificationPaths } from "./openapi-notifications.ts";
import { registerRuntimePaths } from "./openapi-runtime.ts";
import { registerResponsePaths } from "./openapi-response.ts";

// The API description, generated from the zod schemas the routes validate with (core's where they
// exist). The connector formats are validated by core parsers; their key fields are described here.

export const API_TAGS = [
  { name: "Connectors", description: "Clusters, scanners and registries report in their tools' own formats. Requests need a token with the `ingest` scope; reports are processed asynchronously." },
  { name: "Posture", description: "Read the organization's estate and findings. Session users or tokens with the `read` scope." },
  { name: "Members", description: "Membership and invitations. ADMIN or OWNER for changes." },
  { name: "Policies", description: "The organization's policy set (built-ins and custom policies) with version history. Reads: any member, or a token with `read` or `policy:read`. Changes: ADMIN or OWNER, each a new version and an audit row." },
  { name: "Enforcement", description: "Enforcement points: the signed policy bundle, its public key, heartbeats. Tokens with the `enforcement` scope (bundle reads also `policy:read`)." },
  { name: "Admission", description: "Admission control: the central AdmissionReview webhook, decisions reported by enforcement points, and the decision history." },
  { name: "Vulnerabilities", description: "The advisory store (OSV, shared by the instance), re-match runs, the full re-match schedule and what to fix first." },
  { name: "Exceptions", description: "Accepted risks and false positives: one object that suppresses findings and, for policies, waives them at admission. Request: ANALYST+; approve, reject, revoke: ADMIN+." },
  { name: "Notifications", description: "Alert channels (webhook, Slack, email) with routing, test-sends and the delivery log. Channels: ADMIN or OWNER; the log: ANALYST or higher." },
  { name: "Audit", description: "Who changed what. ADMIN or OWNER." },
  { name: "Meta", description: "This description." },
] as const;

const id = z.string().min(1).meta({ description: "Opaque identifier", example: "cm3x0k2a00001abcd1234efgh" });
const dateTime = z.iso.datetime().meta({ example: "2026-11-28T12:00:00.000Z" });

const Problem = z
  .object({
    type: z.string().meta({ example: "https://bulwark.dev/problems/validation-failed" }),
    title: z.string().meta({ example: "Validation failed" }),
    status: z.number().int().meta({ example: 400 }),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
    detail: z.string().meta({ example: "The report is invalid" }),
    instance: z.string().optional().meta({ example: "/api/v1/reports/trivy" }),
    errors: z.array(z.object({ path: z.string().meta({ example: "SchemaVersion" }), message: z.string() })).optional().meta({ description: "One entry per invalid field, with its dotted path" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details; every error answer has this shape (application/problem+json)." });

const ReportStatus = z.enum(["PENDING", "PROCESSING", "PROCESSED", "FAILED"]).meta({ id: "ReportStatus" });
const ReportKind = z.enum(["INVENTORY", "TRIVY", "SBOM", "FALCO", "REGISTRY"]).meta({ id: "ReportKind" });

const Accepted = z
  .object({
    id,
    status: ReportStatus,
    statusUrl: z.string().meta({ example: "/api/v1/reports/cm3x0k2a00001abcd1234efgh" }),
  })
  .meta({ id: "AcceptedReport", description: "The report is stored; poll statusUrl for processing. A repeated Idempotency-Key returns the first answer." });

const Report = z
  .object({
    id,
    kind: ReportKind,
    status: ReportStatus,
    subject: z.string().nullable().meta({ description: "Cluster name, registry name or image digest" }),
    attempts: z.number().int(),
    counts: z.record(z.string(), z.number()).meta({ description: "What processing stored, e.g. findings, packages, workloads" }),
    error: z.string().nullable(),
    bodyBytes: z.number().int(),
    receivedAt: dateTime,
    startedAt: dateTime.nullable(),
    processedAt: dateTime.nullable(),
    statusUrl: z.string(),
  })
  .meta({ id: "Report" });

const KubernetesList = z
  .looseObject({
    apiVersion: z.literal("v1"),
    kind: z.literal("List"),
    items: z.array(z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), uid: z.string().optional() }) })),
  })
  .meta({ id: "KubernetesList", description: "What `kubectl get ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes -A -o json` prints: a full snapshot. Objects missing from a newer snapshot are marked deleted." });

const TrivyReport = z
  .looseObject({
    SchemaVersion: z.literal(2),
    ArtifactName: z.string(),
    ArtifactType: z.string().optional(),
    Metadata: z.looseObject({ ImageID: z.string().optional(), RepoTags: z.array(z.string()).optional(), RepoDigests: z.array(z.string()).optional(), OS: z.looseObject({ Family: z.string(), Name: z.string() }).optional() }).optional(),
    Results: z
      .array(
        z.looseObject({
          Target: z.string(),
          Class: z.string().optional(),
          Type: z.string().optional(),
          Packages: z.array(z.looseObject({})).optional(),
          Vulnerabilities: z.array(z.looseObject({ VulnerabilityID: z.string(), PkgName: z.string(), InstalledVersion: z.string(), FixedVersion: z.string().optional(), Severity: z.string() })).optional(),
          Misconfigurations: z.array(z.looseObject({ ID: z.string(), Title: z.string().optional(), Severity: z.string() })).optional(),
          Secrets: z.array(z.looseObject({ RuleID: z.string(), Title: z.string().optional(), Severity: z.string(), Match: z.string().optional() })).optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: "TrivyReport", description: "`trivy image -f json` output, SchemaVersion 2: vulnerabilities, misconfigurations and secrets. Secret values are masked and hashed, never stored in clear." });

const CycloneDx = z
  .looseObject({
    bomFormat: z.literal("CycloneDX"),
    specVersion: z.enum(SUPPORTED_CYCLONEDX_VERSIONS),
    metadata: z.looseObject({ component: z.looseObject({ type: z.string(), name: z.string(), version: z.string().optional() }).optional() }).optional(),
    components: z.array(z.looseObject({ type: z.string(), name: z.string(), version: z.string().optional(), purl: z.string().optional() })).optional(),
  })
  .meta({ id: "CycloneDxSbom", description: "A CycloneDX JSON SBOM (1.4–1.7); components become the image's packages." });

const FalcoEvent = z
  .looseObject({
    uuid: z.string().optional(),
    time: dateTime,
    rule: z.string(),
    priority: z.string().meta({ example: "Warning" }),
    output: z.string(),
    source: z.string().optional(),
    hostname: z.string().optional(),
    tags: z.array(z.string()).optional(),
    output_fields: z.record(z.string(), z.unknown()).meta({ description: "k8s.ns.name, k8s.pod.name, container.id… tie the event to the estate" }),
  })
  .meta({ id: "FalcoEvent", description: "One event as falcosidekick's webhook output sends it." });

const RegistryImages = registryImagesReportSchema.meta({ id: "RegistryImagesReport", description: "A registry connector's images. A malicious malware verdict becomes a MALWARE finding." });

const anyObject = (name: string, description: string) => z.looseObject({ id: z.string() }).meta({ id: name, description });

function problems(...statuses: number[]): Record<number, ResponseConfig> {
  const out: Record<number, ResponseConfig> = {};
  const text: Record<number, string> = {
    400: "Malformed JSON or invalid fields (each named by its path)",
    401: "No, unknown, expired or revoked credentials",
    403: "The token lacks the scope or the user lacks the role",
    404: "Not found (another organization's objects are 404 too)",
    409: "Conflict",
    413: "The body exceeds the size limit (also after gzip inflation)",
    415: "The body is not application/json (or +json), or an unsupported Content-Encoding",
    429: "Rate limited; see Retry-After",
  };
  for (const s of statuses) out[s] = { description: text[s] ?? "Error", content: { "application/problem+json": { schema: Problem } } };
  return out;
}

const ok = (schema: z.ZodType, description = "OK"): Record<number, ResponseConfig> => ({ 200: { description, content: { "application/json": { schema } } } });

const idempotencyHeader = z.object({
  "Idempotency-Key": idempotencyKeySchema.optional().meta({ description: "Retries with the same key return the first answer instead of storing the report twice" }),
  "Content-Encoding": z.enum(["gzip", "identity"]).optional(),
});

function connector(method: "put" | "post", path: string, summary: string, description: string, body: z.ZodType, extra: Partial<RouteConfig["request"]> = {}): RouteConfig {
  return {
    method,
    path,
    tags: ["Connectors"],
    summary,
    description: `${description}\n\nRequires the \`ingest\` scope. Gzip bodies are accepted; bodies are size-bounded.`,
    security: [{ bearer: [] }],
    request: { headers: idempotencyHeader, body: { required: true, content: { "application/json": { schema: body } } }, ...extra },
    responses: {
      202: { description: "Stored; processing is queued", headers: { Location: { description: "The status URL", schema: { type: "string" } } }, content: { "application/json": { schema: Accepted } } },
      ...problems(400, 401, 403, 409, 413, 415, 429),
    },
  };
}

function build() {
  const r = new OpenAPIRegistry();
  r.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An API token (`bwk_…`) created on the Connectors page, or the dashboard session cookie." });
  const nameParam = (key: string) => z.object({ [key]: resourceNameSchema.meta({ example: "prod-eu-1" }) });
  const idParam = z.object({ id });

  r.registerPath(connector("put", "/api/v1/clusters/{name}/inventory", "Report a cluster inventory", "A full snapshot of the cluster. Creates the cluster on its first report; a token bound to a cluster may only report for it.", KubernetesList, { params: nameParam("name") }));
  r.registerPath(connector("post", "/api/v1/reports/trivy", "Report a Trivy image scan", "Stores the image by digest, its packages when present, and its findings.", TrivyReport));
  r.registerPath(
    connector("post", "/api/v1/sbom", "Report an SBOM", "Stores the components as the image's packages, for later rescans. The digest comes from `?digest=` or the SBOM's metadata.component; without either the answer is 400 naming `digest`.", CycloneDx, {
      query: z.object({ digest: z.string().regex(/^sha256:[a-f0-9]{64}$/).optional() }),
    }),
  );
  r.registerPath(connector("post", "/api/v1/events/falco", "Report Falco events", "One event or an array; stored as runtime events tied to cluster, namespace, pod and container when present.", z.union([FalcoEvent, z.array(FalcoEvent)])));
  r.registerPath(connector("post", "/api/v1/registries/{name}/images", "Report a registry's images", "Digest, repository, tags, push time, signature verification and malware verdict per image.", RegistryImages, { params: nameParam("name") }));
  r.registerPath({
    method: "get",
    path: "/api/v1/reports/{id}",
    tags: ["Connectors"],
    summary: "Report status",
    description: "Processing status and counts. Tokens with `ingest` or `read`, or any member.",
    security: [{ bearer: [] }],
    request: { params: idParam },
    responses: { ...ok(Report), ...problems(401, 403, 404, 429) },
  });

  const read = (path: string, summary: string, schema: z.ZodType, params?: z.ZodObject): RouteConfig => ({
    method: "get",
    path,
    tags: ["Posture"],
    summary,
    description: "Any member, or a token with the `read` scope.",
    security: [{ bearer: [] }],
    ...(params ? { request: { params } } : {}),
    responses: { ...ok(schema), ...problems(401, 403, ...(params ? [404] : [])) },
  });
  r.registerPath(read("/api/v1/overview", "Posture overview", z.looseObject({ score: z.number().min(0).max(100), openBySeverity: z.record(z.string(), z.number().int()) }).meta({ id: "Overview" })));
  r.registerPath(read("/api/v1/clusters/{id}", "A cluster", anyObject("Cluster", "A cluster with its namespaces and workload counts"), idParam));
  r.registerPath(read("/api/v1/workloads/{id}", "A workload", anyObject("Workload", "A workload with its containers and images"), idParam));
  r.registerPath(read("/api/v1/findings/{id}", "A finding", anyObject("Finding", "A finding with its lifecycle (first/last seen, status)"), idParam));

  const member = z.object({ membershipId: id, userId: id, email: z.email(), name: z.string().nullable(), role: z.string(), lastLoginAt: dateTime.nullable() }).meta({ id: "Member" });
  const user = { security: [{ bearer: [] }], tags: ["Members"] };
  r.registerPath({ ...user, method: "get", path: "/api/v1/members", summary: "Members and pending invitations", description: "Any member.", responses: { ...ok(z.object({ members: z.array(member), invitations: z.array(z.looseObject({ id, email: z.string(), role: z.string(), expiresAt: dateTime })) })), ...problems(401, 403) } });
  r.registerPath({
    ...user,
    method: "patch",
    path: "/api/v1/members/{membershipId}",
    summary: "Change a member's role",
    description: "ADMIN+; only an OWNER grants or changes OWNER; the last owner stays.",
    request: { params: z.object({ membershipId: id }), body: { content: { "application/json": { schema: changeMemberRoleSchema } } } },
    responses: { ...ok(z.looseObject({})), ...problems(400, 401, 403, 404, 409, 415) },
  });
  r.registerPath({ ...user, method: "delete", path: "/api/v1/members/{membershipId}", summary: "Remove a member", description: "ADMIN+.", request: { params: z.object({ membershipId: id }) }, responses: { ...ok(z.looseObject({})), ...problems(401, 403, 404, 409) } });
  r.registerPath({
    ...user,
    method: "post",
    path: "/api/v1/members/invitations",
    summary: "Invite a member",
    description: "ADMIN+. The accept link is returned once.",
    request: { body: { content: { "application/json": { schema: inviteMemberSchema } } } },
    responses: { 201: { description: "Created", content: { "application/json": { schema: z.object({ id, email: z.string(), role: z.string(), expiresAt: dateTime, acceptUrl: z.url() }) } } }, ...problems(400, 401, 403, 409, 415) },
  });
  r.registerPath({
    tags: ["Members"],
    method: "post",
    path: "/api/v1/invitations/accept",
    summary: "Accept an invitation",
    description: "Public: the invitation secret in the body is the credential.",
    request: { body: { content: { "application/json": { schema: acceptInvitationSchema } } } },
    responses: { ...ok(z.object({ email: z.string(), orgId: id, signInUrl: z.string() })), ...problems(400, 404, 409, 415) },
  });
  registerPolicyPaths(r);
  registerEnforcementPaths(r, { problems, ok });
  registerRolloutPaths(r, { problems, ok });
  registerAdmissionPaths(r, { problems, ok });
  registerExceptionPaths(r, { problems, ok });
  registerVulnerabilityPaths(r, { problems, ok });
  registerPosturePaths(r, { problems, ok });
  registerFindingPaths(r, { problems, ok });
  registerInventoryPaths(r, { problems, ok });
  registerCompliancePaths(r, { problems, ok });
  registerNotificationPaths(r, { problems, ok });
  registerRuntimePaths(r, { problems, ok });
  registerResponsePaths(r, { problems, ok });
  r.registerPath({
    tags: ["Audit"],
    method: "get",
    path: "/api/v1/audit-log",
    summary: "Audit log",
    description: "ADMIN+. Newest first; pass nextCursor as cursor for the next page.",
    security: [{ bearer: [] }],
    request: { query: listAuditLogSchema },
    responses: { ...ok(z.object({ entries: z.array(z.looseObject({ id, action: z.string(), actorLabel: z.string(), createdAt: dateTime })), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) },
  });
  r.registerPath({ tags: ["Meta"], method: "get", path: "/api/v1/openapi.json", summary: "This OpenAPI 3.1 description", description: "Public.", responses: { 200: { description: "OK", content: { "application/json": { schema: z.looseObject({ openapi: z.string() }) } } } } });

  return new OpenApiGeneratorV31(r.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Bulwark API",
      version: "1",
      description: `Container security posture. Authenticate with \`Authorization: Bearer <token>\`; token scopes: ${TOKEN_SCOPES.join(", ")}. Errors are application/problem+json.`,
    },
    servers: [{ url: "/" }],
    tags: [...API_TAGS],
  });
}

function registerPolicyPaths(r: OpenAPIRegistry): void {
  const keyParam = z.object({ key: z.string().meta({ description: "The policy's key (its definition id)", example: "no-privileged" }) });
  const definition = z.looseObject({ id: z.string() }).meta({ id: "PolicyDefinition", description: "A policy definition as documented in docs/policies.md (id, name, severity, stages, enforcement, scope, exclusions, disabled, rule…)." });
  const f = listPoliciesSchema.shape;
  const summary = z
    .object({
      key: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      category: z.string(),
      severity: f.severity.unwrap(),
      enforcement: f.enforcement.unwrap(),
      builtin: z.boolean(),
      enabled: z.boolean(),
      currentVersion: z.number().int(),
      stages: z.array(f.stage.unwrap()),
      ruleType: z.enum(["builtin", "criteria", "cel"]),
      createdAt: dateTime,
      updatedAt: dateTime,
    })
    .meta({ id: "PolicySummary" });
  const version = z.object({ version: z.number().int(), message: z.string().nullable(), authorId: z.string().nullable(), authorEmail: z.string().nullable(), createdAt: dateTime }).meta({ id: "PolicyVersionSummary" });
  const view = summary.extend({ definition }).meta({ id: "Policy" });
  const detail = view.extend({ versions: z.array(version) }).meta({ id: "PolicyDetail" });
  const change = z.object({ policy: view, changed: z.boolean().meta({ description: "False when the saved definition equals the current one: no new version" }) }).meta({ id: "PolicyChange" });
  const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
  const reader = "Any member, or a token with the `read` or `policy:read` scope.";
  const base = { tags: ["Policies"], security: [{ bearer: [] }] };

  r.registerPath({ ...base, method: "get", path: "/api/v1/policies", summary: "List policies", description: `${reader} Most severe first, then by key. Built-ins are created for the organization on first read.`, request: { query: listPoliciesSchema }, responses: { ...ok(z.object({ policies: z.array(summary) })), ...problems(400, 401, 403) } });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/policies",
    summary: "Create a custom policy",
    description: "ADMIN+. The definition is compiled first; a bad rule is a 400 naming the field (`definition.rule.expression`) with line and column. Keys of built-ins and existing policies are 409.",
    request: body(createPolicySchema),
    responses: { 201: { description: "Created (version 1)", content: { "application/json": { schema: view } } }, ...problems(400, 401, 403, 409, 413, 415) },
  });
  r.registerPath({ ...base, method: "get", path: "/api/v1/policies/{key}", summary: "A policy with its versions", description: reader, request: { params: keyParam }, responses: { ...ok(detail), ...problems(401, 403, 404) } });
  r.registerPath({
    ...base,
    method: "put",
    path: "/api/v1/policies/{key}",
    summary: "Save a policy's definition as a new version",
    description: "ADMIN+. Custom policies may change anything but the key. Built-ins only `enforcement`, `disabled`, `scope` and `exclusions` (omitted metadata is kept; clone one to change the rest). `expectedVersion` other than the current one is a 409. Saving the current definition again creates no version.",
    request: { params: keyParam, ...body(updatePolicySchema) },
    responses: { ...ok(change), ...problems(400, 401, 403, 404, 409, 413, 415) },
  });
  r.registerPath({ ...base, method: "delete", path: "/api/v1/policies/{key}", summary: "Delete a custom policy", description: "ADMIN+. Built-ins cannot be deleted (409): disable them instead.", request: { params: keyParam }, responses: { ...ok(z.object({ key: z.string(), deleted: z.literal(true) })), ...problems(401, 403, 404, 409) } });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/policies/{key}/clone",
    summary: "Clone a policy under a new key",
    description: "ADMIN+. The clone is a custom policy at version 1 with the source's definition; a built-in's clone keeps its native check (`rule: {type: builtin}`) and its metadata becomes editable.",
    request: { params: keyParam, ...body(clonePolicySchema) },
    responses: { 201: { description: "Created", content: { "application/json": { schema: view } } }, ...problems(400, 401, 403, 404, 409, 415) },
  });
  r.registerPath({ ...base, method: "get", path: "/api/v1/policies/{key}/versions", summary: "A policy's versions", description: `${reader} Newest first.`, request: { params: keyParam }, responses: { ...ok(z.object({ key: z.string(), currentVersion: z.number().int(), versions: z.array(version) })), ...problems(401, 403, 404) } });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/policies/{key}/versions/{version}",
    summary: "One version with its definition",
    description: reader,
    request: { params: keyParam.extend({ version: z.string().regex(/^\d+$/).meta({ example: "2" }) }) },
    responses: { ...ok(version.extend({ key: z.string(), definition }).meta({ id: "PolicyVersion" })), ...problems(400, 401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/policies/{key}/revert",
    summary: "Revert to an old version",
    description: "ADMIN+. Saves the old version's definition as a new version (history only grows); reverting to the current definition changes nothing.",
    request: { params: keyParam, ...body(revertPolicySchema) },
    responses: { ...ok(change), ...problems(400, 401, 403, 404, 409, 415) },
  });
}

export type OpenApiDocument = ReturnType<typeof build>;

let cached: OpenApiDocument | undefined;

/** Built once per process: the schemas do not change at runtime. */
export function openApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
