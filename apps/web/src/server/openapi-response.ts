import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { ACTION_STATUSES, claimActionsQuerySchema, enforcementActionResultSchema, listResponseActionsSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// The runtime response part of the API description: enforcement points claim actions and report
// results; members list them, admins cancel them (docs/enforcer.md "Runtime response actions").

export function registerResponsePaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const actionName = z.enum(["DELETE_POD", "SCALE_TO_ZERO"]);
  const claimed = z
    .object({
      id: z.string(),
      action: actionName.meta({ description: "DELETE_POD: delete `pod` in `namespace`; SCALE_TO_ZERO: set the scale of `kind`/`name` (Deployment, StatefulSet, ReplicaSet) to 0" }),
      namespace: z.string(),
      kind: z.string().meta({ example: "Deployment" }),
      name: z.string(),
      pod: z.string().nullable().meta({ description: "The pod to delete (DELETE_POD)" }),
      policy: z.string().meta({ description: "Key of the policy that asked for it" }),
      reason: z.string(),
      claimedAt: dateTime,
    })
    .meta({ id: "ClaimedEnforcementAction" });
  const view = z
    .object({
      id: z.string(),
      action: actionName,
      status: z.enum(ACTION_STATUSES),
      cluster: z.object({ id: z.string(), name: z.string() }),
      namespace: z.string(),
      kind: z.string(),
      name: z.string(),
      pod: z.string().nullable(),
      policyKey: z.string(),
      reason: z.string(),
      result: z.string().nullable().meta({ description: "The enforcement point's message, or who cancelled" }),
      finding: z.object({ id: z.string(), title: z.string() }).nullable().meta({ description: "The finding that triggered it" }),
      workloadId: z.string().nullable(),
      enforcementPoint: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: "The point that claimed it" }),
      createdAt: dateTime,
      claimedAt: dateTime.nullable(),
      completedAt: dateTime.nullable(),
    })
    .meta({ id: "ResponseAction" });
  const id = z.object({ id: z.string() });
  const enforcement = { tags: ["Enforcement"], security: [{ bearer: [] }] };

  r.registerPath({
    ...enforcement,
    method: "get",
    path: "/api/v1/enforcement/actions",
    summary: "Claim response actions for an enforcement point's cluster",
    description:
      "A token with the `enforcement` scope that the point `point` heartbeats with. Moves up to `limit` pending actions of the point's cluster to CLAIMED and returns them, oldest first; an action claimed more than 5 minutes ago without a result is offered again. With `wait`, an empty answer waits (long-poll) until an action arrives. A point not linked to a cluster gets none.",
    request: { query: claimActionsQuerySchema },
    responses: { ...ok(z.object({ enforcementPoint: z.object({ id: z.string(), name: z.string() }), actions: z.array(claimed) })), ...problems(400, 401, 403, 404, 429) },
  });
  r.registerPath({
    ...enforcement,
    method: "post",
    path: "/api/v1/enforcement/actions/{id}/result",
    summary: "Report how a claimed action went",
    description: "The claiming enforcement point only (409 otherwise). Sending the same status again is a no-op; another status after the first is a 409. Audited.",
    request: { params: id, body: { required: true, content: { "application/json": { schema: enforcementActionResultSchema } } } },
    responses: { ...ok(view), ...problems(400, 401, 403, 404, 409, 413, 415, 429) },
  });
  r.registerPath({
    tags: ["Enforcement"],
    security: [{ bearer: [] }],
    method: "get",
    path: "/api/v1/response-actions",
    summary: "Response actions",
    description: "Members, tokens with `read`. Newest first; pass nextCursor as cursor for the next page.",
    request: { query: listResponseActionsSchema },
    responses: { ...ok(z.object({ actions: z.array(view), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    tags: ["Enforcement"],
    security: [{ bearer: [] }],
    method: "post",
    path: "/api/v1/response-actions/{id}/cancel",
    summary: "Cancel a pending or claimed response action",
    description: "ADMIN+. Audited. A claimed action may already be running in the cluster; a result its point reports later is still recorded.",
    request: { params: id },
    responses: { ...ok(z.object({ action: view })), ...problems(401, 403, 404, 409) },
  });
}
