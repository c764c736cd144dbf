import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { COUNT_CAP, createSavedViewSchema, FINDINGS_CSV_COLUMNS, findingFiltersSchema, MAX_TRIAGE, triageFindingsSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// The findings explorer (docs/findings.md): one list for every finding type, its CSV export, bulk
// triage and saved views. GET /api/v1/findings/{id} is registered in openapi.ts.

export function registerFindingPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const base = { tags: ["Findings"], security: [{ bearer: [] }] };
  const row = z
    .object({
      id: z.string(),
      severity: z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]),
      type: z.enum(["VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE", "RUNTIME", "POLICY_VIOLATION"]),
      status: z.enum(["OPEN", "RESOLVED", "SUPPRESSED"]),
      title: z.string(),
      ruleId: z.string(),
      source: z.string(),
      packageName: z.string().nullable(),
      packageVersion: z.string().nullable(),
      fixedVersion: z.string().nullable(),
      fixable: z.boolean(),
      cvssScore: z.number().nullable(),
      imageId: z.string().nullable(),
      image: z.string().nullable().meta({ description: "registry/repository:tag of the image", example: "ghcr.io/acme/api:1.4.2" }),
      clusterId: z.string().nullable(),
      cluster: z.string().nullable(),
      namespaceId: z.string().nullable(),
      namespace: z.string().nullable(),
      workloadId: z.string().nullable(),
      workload: z.string().nullable(),
      workloadKind: z.string().nullable(),
      exceptionId: z.string().nullable(),
      firstSeen: dateTime,
      lastSeen: dateTime,
    })
    .meta({ id: "FindingListRow" });
  const total = z.object({
    count: z.number().int(),
    exact: z.boolean().meta({ description: `false: count is a lower bound (a count stops at ${COUNT_CAP}; filters no index serves are not counted)` }),
    via: z.enum(["tally", "count", "page"]).meta({ description: "tally: exact from the open-findings tally; count: bounded count; page: not counted, at least the rows returned" }),
  });
  const savedView = z
    .object({ id: z.string(), page: z.string(), name: z.string(), query: z.string(), shared: z.boolean(), mine: z.boolean(), owner: z.string().nullable(), createdAt: dateTime })
    .meta({ id: "SavedView" });

  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/findings",
    summary: "List findings",
    description:
      "Any member, or a token with `read`. Multi-valued params repeat (or take a comma list). Cluster, namespace and workload filters include image findings whose image runs there. Keyset pagination: pass nextCursor as cursor (a cursor is tied to its sort and dir). Unknown enum values are a 400 with field paths.",
    request: { query: findingFiltersSchema },
    responses: { ...ok(z.object({ items: z.array(row), nextCursor: z.string().nullable(), total })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/findings/export.csv",
    summary: "Export findings as CSV",
    description: `Any member, or a token with \`read\`. Same filters as the list, no limit; streamed (RFC 4180, CRLF; cells starting with = + - @ are prefixed with '). Columns: ${FINDINGS_CSV_COLUMNS.join(", ")}.`,
    request: { query: findingFiltersSchema.omit({ cursor: true, limit: true }) },
    responses: {
      200: {
        description: "CSV",
        headers: { "Content-Disposition": { description: "attachment; filename=bulwark-findings-<date>.csv", schema: { type: "string" } } },
        content: { "text/csv": { schema: z.string() } },
      },
      ...problems(400, 401, 403),
    },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/findings/triage",
    summary: "Triage findings in bulk",
    description: `ANALYST+ (audited per finding). ids (at most ${MAX_TRIAGE}) or a filter query string matching at most ${MAX_TRIAGE}. request-exception and mark-false-positive request one exception per distinct scope (rule + image repository or workload); an ADMIN's false positive is approved at once. reopen sets SUPPRESSED/RESOLVED findings back to OPEN unless an approved exception still covers them. resolve sets OPEN runtime findings and policy violations (which no scanner resolves) to RESOLVED; their next event or decision reopens them. Another organization's id is a 404.`,
    request: { body: { required: true, content: { "application/json": { schema: triageFindingsSchema } } } },
    responses: {
      ...ok(
        z.object({
          action: z.enum(["request-exception", "mark-false-positive", "reopen", "resolve"]),
          selected: z.number().int(),
          exceptions: z.array(z.object({ id: z.string(), scope: z.record(z.string(), z.string()), findings: z.number().int(), approved: z.boolean() })),
          reopened: z.number().int(),
          resolved: z.number().int(),
          skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
        }),
      ),
      ...problems(400, 401, 403, 404, 413, 415),
    },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/saved-views",
    summary: "Saved views",
    description: "The caller's own views of the page and the views shared in the organization (a token sees shared ones).",
    request: { query: z.object({ page: z.enum(["findings"]).default("findings") }) },
    responses: { ...ok(z.object({ items: z.array(savedView) })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/saved-views",
    summary: "Save a view",
    description: "Signed-in members; shared views need ANALYST+ and are audited. The query is validated by the page's filters and stored canonical, without a cursor. Names are unique per user and page (409).",
    request: { body: { required: true, content: { "application/json": { schema: createSavedViewSchema } } } },
    responses: { 201: { description: "Saved", content: { "application/json": { schema: savedView } } }, ...problems(400, 401, 403, 409, 413, 415) },
  });
  r.registerPath({
    ...base,
    method: "delete",
    path: "/api/v1/saved-views/{id}",
    summary: "Delete a saved view",
    description: "Your own view, or (ADMIN+) a shared one. Another member's private view or another organization's view is a 404.",
    request: { params: z.object({ id: z.string() }) },
    responses: { ...ok(z.object({ id: z.string(), deleted: z.literal(true) })), ...problems(401, 403, 404) },
  });
}
