import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { exceptionDecisionSchema, EXCEPTION_FLAGS, listExceptionsSchema, requestExceptionSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Exceptions: one object that suppresses findings and, when its scope names a policy, waives that
// policy at admission (docs/exceptions.md).

export function registerExceptionPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const person = z.object({ id: z.string(), email: z.string() }).nullable();
  const flag = z.enum(EXCEPTION_FLAGS);
  const exception = z
    .object({
      id: z.string(),
      kind: z.enum(["RISK_ACCEPTED", "FALSE_POSITIVE"]),
      status: z.enum(["REQUESTED", "APPROVED", "REJECTED", "REVOKED"]),
      state: z.enum(["requested", "approved", "expired", "rejected", "revoked"]).meta({ description: "status, with an approved exception past expiresAt shown as expired" }),
      scope: z.record(z.string(), z.string()).meta({ description: "The scope as stored (see the request body's scope)" }),
      reason: z.string(),
      expiresAt: dateTime.nullable(),
      expiredAt: dateTime.nullable().meta({ description: "When the expiry job reopened its findings" }),
      requestedBy: person,
      approvedBy: person,
      approvedAt: dateTime.nullable(),
      closedBy: person.meta({ description: "Who rejected, withdrew or revoked it" }),
      closedAt: dateTime.nullable(),
      closeNote: z.string().nullable(),
      createdAt: dateTime,
      updatedAt: dateTime,
      matchCount: z.number().int().meta({ description: "Findings the scope matches now, OPEN or SUPPRESSED" }),
      flags: z.array(flag),
      notes: z.array(z.string()).meta({ description: "What the scope can and cannot cover (e.g. location fields never match image findings)" }),
    })
    .meta({ id: "Exception" });
  const warning = z.object({ code: flag, message: z.string() });
  const base = { tags: ["Exceptions"], security: [{ bearer: [] }] };
  const idParam = z.object({ id: z.string() });
  const decision = { body: { required: false, content: { "application/json": { schema: exceptionDecisionSchema } } } };

  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/exceptions",
    summary: "List exceptions",
    description: "Any member, or a token with `read`. Newest first; pass nextCursor as cursor for the next page. Each row counts its matching findings (one COUNT per row).",
    request: { query: listExceptionsSchema },
    responses: { ...ok(z.object({ items: z.array(exception), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/exceptions",
    summary: "Request an exception",
    description:
      "ANALYST+ (audited). A finding matches when every field the scope sets matches it. Nothing is suppressed until an ADMIN approves. The answer says how many findings the scope matches now, with warnings when that is none or more than 100.",
    request: { body: { required: true, content: { "application/json": { schema: requestExceptionSchema } } } },
    responses: {
      201: {
        description: "Requested",
        headers: { Location: { description: "The exception's URL", schema: { type: "string" } } },
        content: { "application/json": { schema: z.object({ exception, matchCount: z.number().int(), warnings: z.array(warning), notes: z.array(z.string()) }) } },
      },
      ...problems(400, 401, 403, 413, 415),
    },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/exceptions/{id}",
    summary: "An exception",
    description: "Any member, or a token with `read`. Another organization's id is a 404.",
    request: { params: idParam },
    responses: { ...ok(exception.extend({ suppressedCount: z.number().int().meta({ description: "Findings it suppresses now" }) })), ...problems(401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/exceptions/{id}/approve",
    summary: "Approve an exception",
    description:
      "ADMIN+ (audited; approving one's own request is allowed and recorded as selfApproved). Requested exceptions only (409 otherwise). Suppresses the open findings it matches; a scope with policyId is carried in the next enforcement bundle.",
    request: { params: idParam, ...decision },
    responses: { ...ok(z.object({ exception, suppressed: z.number().int() })), ...problems(400, 401, 403, 404, 409, 415) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/exceptions/{id}/reject",
    summary: "Reject an exception request",
    description: "ADMIN+ (audited). Requested exceptions only; the note is kept as closeNote.",
    request: { params: idParam, ...decision },
    responses: { ...ok(z.object({ exception })), ...problems(400, 401, 403, 404, 409, 415) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/exceptions/{id}/revoke",
    summary: "Revoke or withdraw an exception",
    description:
      "An approved exception: ADMIN+; its suppressed findings reopen unless another approved exception covers them (then they move to it). A requested exception: only its requester may withdraw it. Audited.",
    request: { params: idParam, ...decision },
    responses: { ...ok(z.object({ exception, reopened: z.number().int(), reapplied: z.number().int() })), ...problems(400, 401, 403, 404, 409, 415) },
  });
}
