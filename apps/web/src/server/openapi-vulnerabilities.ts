import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { listAdvisoriesSchema, listFixLeverageSchema, listScanRunsSchema, rescanScheduleSchema, startRescanSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Continuous vulnerability management (docs/vulnerabilities.md): the advisory store, re-match runs,
// the full re-match schedule and fix leverage.

export function registerVulnerabilityPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const severity = z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]);
  const base = { tags: ["Vulnerabilities"], security: [{ bearer: [] }] };
  const idParam = z.object({ id: z.string() });
  const scanRun = z
    .object({
      id: z.string(),
      kind: z.enum(["FULL", "DELTA", "IMAGE", "CLUSTER", "INGEST"]),
      status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]),
      trigger: z.string().meta({ description: "schedule:<time>, user:<email>, feed-sync, import:<source>…" }),
      targetId: z.string().nullable(),
      total: z.number().int().meta({ description: "Images the run covers" }),
      done: z.number().int().meta({ description: "Images done so far (progress)" }),
      stats: z
        .looseObject({
          images: z.number().int(),
          candidates: z.number().int(),
          matched: z.number().int(),
          opened: z.number().int(),
          reopened: z.number().int(),
          resolved: z.number().int(),
          unchanged: z.number().int(),
          duplicatesOfScanner: z.number().int(),
          unparsableVersions: z.number().int(),
          suppressed: z.number().int(),
          rowsWritten: z.number().int(),
        })
        .partial(),
      error: z.string().nullable(),
      startedAt: dateTime,
      finishedAt: dateTime.nullable(),
    })
    .meta({ id: "ScanRun" });
  const advisory = z
    .looseObject({
      id: z.string(),
      externalId: z.string(),
      aliases: z.array(z.string()),
      source: z.string(),
      summary: z.string().nullable(),
      severity: severity.nullable(),
      cvssScore: z.number().nullable(),
      knownExploited: z.boolean(),
      publicExploit: z.boolean(),
      publishedAt: dateTime.nullable(),
      modifiedAt: dateTime,
      withdrawnAt: dateTime.nullable(),
      openFindings: z.number().int().meta({ description: "Open findings of the caller's organization naming it or an alias" }),
    })
    .meta({ id: "Advisory" });
  const leverage = z
    .object({
      kind: z.enum(["package", "image"]),
      target: z.string(),
      ecosystem: z.string().nullable(),
      from: z.array(z.string()),
      to: z.string(),
      findings: z.number().int(),
      critical: z.number().int(),
      high: z.number().int(),
      images: z.number().int(),
      workloads: z.number().int(),
    })
    .meta({ id: "FixLeverage" });
  const schedule = z.object({ cron: z.string(), lastDue: dateTime.nullable() });

  r.registerPath({ ...base, method: "get", path: "/api/v1/scan-runs", summary: "Re-match runs", description: "Any member, or a token with `read`. Newest first.", request: { query: listScanRunsSchema }, responses: { ...ok(z.object({ items: z.array(scanRun) })), ...problems(400, 401, 403) } });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/scan-runs",
    summary: "Start a re-match",
    description: "ANALYST+ (audited). Re-matches the organization (FULL), one image or one cluster against the current advisory store; poll the run for progress.",
    request: { body: { required: true, content: { "application/json": { schema: startRescanSchema } } } },
    responses: { 202: { description: "Queued", content: { "application/json": { schema: scanRun } } }, ...problems(400, 401, 403, 404) },
  });
  r.registerPath({ ...base, method: "get", path: "/api/v1/scan-runs/{id}", summary: "A re-match run", description: "Any member, or a token with `read`.", request: { params: idParam }, responses: { ...ok(scanRun), ...problems(401, 403, 404) } });
  r.registerPath({ ...base, method: "get", path: "/api/v1/settings/rescan-schedule", summary: "Full re-match schedule", description: "Any member, or a token with `read`. Cron in UTC.", responses: { ...ok(schedule), ...problems(401, 403) } });
  r.registerPath({
    ...base,
    method: "put",
    path: "/api/v1/settings/rescan-schedule",
    summary: "Set the full re-match schedule",
    description: "ADMIN+ (audited). A 5-field cron pattern in UTC.",
    request: { body: { required: true, content: { "application/json": { schema: rescanScheduleSchema } } } },
    responses: { ...ok(schedule), ...problems(400, 401, 403) },
  });
  r.registerPath({ ...base, method: "get", path: "/api/v1/advisories", summary: "Search the advisory store", description: "Any member, or a token with `read`. OSV records shared by the instance.", request: { query: listAdvisoriesSchema }, responses: { ...ok(z.object({ items: z.array(advisory), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) } });
  r.registerPath({ ...base, method: "get", path: "/api/v1/advisories/{id}", summary: "An advisory", description: "By OSV id or alias (CVE), with its affected packages and ranges.", request: { params: idParam }, responses: { ...ok(advisory), ...problems(401, 403, 404) } });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/vulnerabilities/fix-leverage",
    summary: "What to fix first",
    description: "Any member, or a token with `read`. Upgrades (a package to the version fixing all its open findings, or an image repository to its newest scanned image) with the findings and workloads each removes, sorted by impact.",
    request: { query: listFixLeverageSchema },
    responses: { ...ok(z.object({ items: z.array(leverage) })), ...problems(400, 401, 403) },
  });
}
