import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { addBaselineProcessSchema, listProcessBaselinesSchema, listRuntimeEventsSchema, runtimeActivitySchema, runtimeFindingsQuerySchema, runtimeSettingsSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// The Runtime API (docs/runtime.md): runtime aggregates (Falco rules and process-baseline anomalies)
// with their raw events and a cheap activity signature for live views, process baselines, and the
// organization's runtime settings.

export function registerRuntimePaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const base = { tags: ["Runtime"], security: [{ bearer: [] }] };
  const reader = "Any member, or a token with `read`.";
  const idParam = z.object({ id: z.string() });
  const severity = z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]);
  const attack = z.object({ id: z.string().meta({ example: "T1059" }), name: z.string().nullable().meta({ example: "Command and Scripting Interpreter" }) });
  const counts = z.object({ CRITICAL: z.number().int(), HIGH: z.number().int(), MEDIUM: z.number().int(), LOW: z.number().int(), INFO: z.number().int(), total: z.number().int() });
  const item = z
    .object({
      id: z.string(),
      title: z.string(),
      rule: z.string().meta({ description: "Falco rule, or process-baseline-anomaly" }),
      severity,
      status: z.enum(["OPEN", "RESOLVED", "SUPPRESSED"]),
      occurrences: z.number().int().meta({ description: "Stored events folded into the aggregate" }),
      firstSeen: dateTime,
      lastSeen: dateTime,
      source: z.enum(["falco", "bulwark-baseline"]),
      clusterId: z.string().nullable(),
      cluster: z.string().nullable().meta({ description: "The inventoried cluster's name, else the name the events carried" }),
      namespace: z.string().nullable(),
      workload: z.object({ id: z.string(), name: z.string(), kind: z.string() }).nullable().meta({ description: "The inventoried workload, when the events resolved to one" }),
      workloadName: z.string().nullable().meta({ description: "The workload name the events carried, set even when unresolved" }),
      pod: z.string().nullable(),
      container: z.string().nullable(),
      image: z.string().nullable(),
      process: z.string().nullable().meta({ description: "Baseline anomalies: the process outside the baseline" }),
      mitreTechniques: z.array(attack),
      tactics: z.array(attack).meta({ description: "ATT&CK tactics from mitre_* tags (TA ids)" }),
      exceptionId: z.string().nullable().meta({ description: "The exception suppressing it" }),
    })
    .meta({ id: "RuntimeFinding" });
  const group = z.object({ name: z.string().nullable(), events: z.number().int() });
  const detail = item
    .extend({
      description: z.string().nullable(),
      resolvedAt: dateTime.nullable(),
      workloadDeleted: z.boolean(),
      hostname: z.string().nullable(),
      imageRepository: z.string().nullable().meta({ description: "registry/repository, as exception scopes name it" }),
      baselineId: z.string().nullable(),
      evidence: z.record(z.string(), z.unknown()),
      exception: z.object({ id: z.string(), kind: z.string(), status: z.string(), state: z.string(), reason: z.string(), expiresAt: dateTime.nullable() }).nullable(),
      eventCount: z.number().int(),
      byPod: z.array(group).meta({ description: "Stored events per pod, busiest first (at most 20)" }),
      byContainer: z.array(group),
    })
    .meta({ id: "RuntimeFindingDetail" });
  const event = z
    .object({
      id: z.string(),
      time: dateTime,
      receivedAt: dateTime,
      rule: z.string(),
      priority: z.string().meta({ example: "Warning" }),
      source: z.string().meta({ description: "Falco event source", example: "syscall" }),
      namespace: z.string().nullable(),
      pod: z.string().nullable(),
      container: z.string().nullable(),
      process: z.string().nullable(),
      output: z.string(),
      fields: z.record(z.string(), z.unknown()).meta({ description: "The event's raw output_fields" }),
      tags: z.array(z.string()),
    })
    .meta({ id: "RuntimeEvent" });
  const baseline = z
    .object({
      id: z.string(),
      workload: z.object({ id: z.string(), name: z.string(), kind: z.string(), namespace: z.string(), cluster: z.string() }),
      container: z.string().meta({ description: 'Container name ("" when the events named none)' }),
      status: z.enum(["LEARNING", "LOCKED"]),
      processes: z.array(z.string()),
      learningEndsAt: dateTime,
      lockedAt: dateTime.nullable(),
      lockedBy: z.string().nullable().meta({ description: "Who locked it by hand; null when the learning window ran out" }),
      openAnomalies: z.number().int(),
    })
    .meta({ id: "ProcessBaseline" });
  const settings = z.object({ baselineLearningMinutes: z.number().int(), alertDedupMinutes: z.number().int() }).meta({ id: "RuntimeSettings" });

  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/runtime/findings",
    summary: "List runtime findings",
    description: `${reader} RUNTIME findings (Falco aggregates and process-baseline anomalies), most recently seen first by default. Same parameters as the Runtime page's URL; severity repeats or takes a comma list. Keyset pages: pass nextCursor as cursor (a cursor is tied to its sort). counts: aggregates per severity for the other filters.`,
    request: { query: runtimeFindingsQuerySchema },
    responses: { ...ok(z.object({ items: z.array(item), nextCursor: z.string().nullable(), counts })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/runtime/findings/{id}",
    summary: "A runtime finding",
    description: `${reader} The aggregate with its exception and its stored events counted by pod and container. Another organization's id, or a finding that is not a runtime one, is a 404.`,
    request: { params: idParam },
    responses: { ...ok(detail), ...problems(401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/runtime/findings/{id}/events",
    summary: "A runtime finding's raw events",
    description: `${reader} Newest first; pass nextCursor as cursor for older events.`,
    request: { params: idParam, query: listRuntimeEventsSchema },
    responses: { ...ok(z.object({ items: z.array(event), nextCursor: z.string().nullable() })), ...problems(400, 401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/runtime/activity",
    summary: "Runtime activity signature",
    description: `${reader} A cheap answer for live views: when a runtime aggregate last changed, how many there are and how many events they hold. signature changes whenever any of them does; compare it with the last one seen.`,
    request: { query: runtimeActivitySchema },
    responses: {
      ...ok(z.object({ latest: dateTime.nullable(), aggregates: z.number().int(), events: z.number().int(), changed: z.number().int().nullable(), signature: z.string() })),
      ...problems(400, 401, 403),
    },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/runtime/baselines",
    summary: "List process baselines",
    description: `${reader} Most recently changed first; pass nextCursor as cursor.`,
    request: { query: listProcessBaselinesSchema },
    responses: { ...ok(z.object({ items: z.array(baseline), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/runtime/baselines/{id}",
    summary: "A process baseline",
    description: `${reader} Another organization's id is a 404.`,
    request: { params: idParam },
    responses: { ...ok(baseline), ...problems(401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/runtime/baselines/{id}/lock",
    summary: "Lock a process baseline",
    description: "ADMIN+ (audited). Ends learning now: from then on a process outside the baseline raises an anomaly finding. Locking a locked baseline changes nothing.",
    request: { params: idParam },
    responses: { ...ok(baseline), ...problems(401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/runtime/baselines/{id}/reset",
    summary: "Reset a process baseline",
    description: "ADMIN+ (audited). Forgets every process and learns again for the organization's learning window.",
    request: { params: idParam },
    responses: { ...ok(baseline), ...problems(401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/runtime/baselines/{id}/processes",
    summary: "Allow a process in a baseline",
    description: "ADMIN+ (audited). Adds the process and resolves the baseline's open anomaly findings for it.",
    request: { params: idParam, body: { required: true, content: { "application/json": { schema: addBaselineProcessSchema } } } },
    responses: { ...ok(baseline), ...problems(400, 401, 403, 404, 413, 415) },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/settings/runtime",
    summary: "Runtime settings",
    description: "Any member, or a token with `read`: the baseline learning window and the alert dedup window, in minutes.",
    responses: { ...ok(settings), ...problems(401, 403) },
  });
  r.registerPath({
    ...base,
    method: "put",
    path: "/api/v1/settings/runtime",
    summary: "Change runtime settings",
    description: "ADMIN+ (audited). Either field or both. A new learning window applies to baselines created or reset afterwards.",
    request: { body: { required: true, content: { "application/json": { schema: runtimeSettingsSchema } } } },
    responses: { ...ok(settings), ...problems(400, 401, 403, 413, 415) },
  });
}
