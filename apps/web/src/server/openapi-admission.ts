import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { admissionDecisionBatchSchema, admissionReviewSchema, FAILURE_POLICIES, listAdmissionDecisionsSchema, MAX_WARNINGS } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// The admission part of the API description: the central webhook, decision batches from
// enforcement points, and the decision list.

export function registerAdmissionPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const reviewAnswer = z
    .object({
      apiVersion: z.literal("admission.k8s.io/v1"),
      kind: z.literal("AdmissionReview"),
      response: z.object({
        uid: z.string().meta({ description: "The request's uid (empty when the review had none)" }),
        allowed: z.boolean(),
        status: z.object({ code: z.literal(403), message: z.string() }).optional().meta({ description: "Only when denied: the denying policies and their messages" }),
        warnings: z.array(z.string().max(256)).max(MAX_WARNINGS).optional().meta({ description: "WARN policies' violations, shown by kubectl" }),
      }),
    })
    .meta({ id: "AdmissionReviewResponse" });
  const decision = z
    .object({
      id: z.string(),
      uid: z.string().nullable(),
      namespace: z.string(),
      kind: z.string(),
      name: z.string(),
      operation: z.string(),
      allowed: z.boolean(),
      warned: z.boolean(),
      policies: z.array(z.string()).meta({ description: "Keys of the policies that failed (any enforcement)" }),
      message: z.string().nullable(),
      userInfo: z.looseObject({ username: z.string(), groups: z.array(z.string()) }),
      decidedAt: dateTime,
      receivedAt: dateTime,
      cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
      enforcementPoint: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: "null for the central webhook's own decisions" }),
    })
    .meta({ id: "AdmissionDecision" });
  const recorded = z.object({
    enforcementPoint: z.object({ id: z.string(), name: z.string() }),
    received: z.number().int(),
    stored: z.number().int(),
    duplicates: z.number().int().meta({ description: "Decisions whose uid this enforcement point had already sent" }),
    skipped: z.number().int().meta({ description: "Dry runs (not stored)" }),
    findings: z.object({ created: z.number().int(), updated: z.number().int(), reopened: z.number().int(), unchanged: z.number().int() }),
  });

  r.registerPath({
    tags: ["Admission"],
    method: "post",
    path: "/api/v1/admission/review",
    summary: "Central admission webhook (AdmissionReview v1)",
    description:
      "Point a ValidatingWebhookConfiguration here. A token with the `enforcement` scope; the cluster is the token's (cluster-bound) or `?cluster=NAME`. Judged with the organization's DEPLOY-stage policies, approved exceptions and image facts: ENFORCE failures deny (403 status in the review), WARN failures become warnings. Every decision except dry runs is recorded; denied and warned ones become POLICY_VIOLATION findings. Anything but bad credentials is answered 200 with an AdmissionReview: an unreadable or malformed review is allowed (`failurePolicy=Ignore`) or denied (`Fail`, the default) with a message.",
    security: [{ bearer: [] }],
    request: {
      query: z.object({
        failurePolicy: z.enum(FAILURE_POLICIES).optional().meta({ description: "What a review Bulwark cannot judge gets (default Fail)" }),
        cluster: z.string().optional().meta({ description: "Cluster name, for tokens not bound to a cluster" }),
      }),
      body: { required: true, content: { "application/json": { schema: admissionReviewSchema.meta({ id: "AdmissionReviewRequest" }) } } },
    },
    responses: { ...ok(reviewAnswer, "The decision, always a valid AdmissionReview"), ...problems(401, 403) },
  });
  r.registerPath({
    tags: ["Admission"],
    method: "post",
    path: "/api/v1/enforcement/decisions",
    summary: "Report admission decisions (enforcement points)",
    description: `A token with the \`enforcement\` scope. Up to 1,000 decisions; each is stored once per (enforcement point, uid), so re-sending a batch stores nothing twice. The enforcement point is created if missing. Denied and warned decisions become POLICY_VIOLATION findings, one per policy and resource.`,
    security: [{ bearer: [] }],
    request: { body: { required: true, content: { "application/json": { schema: admissionDecisionBatchSchema } } } },
    responses: { ...ok(recorded), ...problems(400, 401, 403, 413, 415, 429) },
  });
  r.registerPath({
    tags: ["Admission"],
    method: "get",
    path: "/api/v1/admission/decisions",
    summary: "Admission decisions",
    description: "Any member, or a token with `read`. Newest first; pass nextCursor as cursor for the next page.",
    security: [{ bearer: [] }],
    request: { query: listAdmissionDecisionsSchema },
    responses: { ...ok(z.object({ decisions: z.array(decision), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) },
  });
}
