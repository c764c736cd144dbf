import { type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { createChannelSchema, DELIVERY_STATUSES, listNotificationDeliveriesSchema, routingSchema, updateChannelSchema } from "@bulwark/core";
import { z } from "zod";
import { type OpenApiHelpers } from "./openapi-enforcement.ts";

// Notification channels and the delivery log (docs/notifications.md).

export function registerNotificationPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const status = z.enum(DELIVERY_STATUSES);
  const channelType = z.enum(["WEBHOOK", "SLACK", "EMAIL"]);
  const channel = z
    .object({
      id: z.string(),
      name: z.string(),
      type: channelType,
      enabled: z.boolean(),
      config: z
        .union([
          z.object({ url: z.string().meta({ description: "Scheme and host only" }), headerNames: z.array(z.string()) }),
          z.object({ webhookUrl: z.string().meta({ description: "Scheme and host only" }) }),
          z.object({ host: z.string(), port: z.number().int(), security: z.enum(["tls", "starttls", "none"]), from: z.string(), to: z.array(z.string()), username: z.string().nullable(), hasPassword: z.boolean() }),
        ])
        .meta({ description: "Settings without secrets: URLs are masked, header values and passwords absent" }),
      routing: routingSchema,
      createdAt: dateTime,
      updatedAt: dateTime,
      createdBy: z.object({ email: z.string() }).nullable(),
      lastDelivery: z.object({ status, at: dateTime, error: z.string().nullable() }).nullable(),
    })
    .meta({ id: "NotificationChannel" });
  const saved = z.object({
    channel,
    signingSecret: z.string().nullable().meta({ description: "A webhook signing secret Bulwark generated (on create without `secret`, or on `regenerateSecret`): shown this once" }),
  });
  const delivery = z
    .object({
      id: z.string(),
      kind: z.enum(["alert", "test"]),
      reason: z.string().meta({ description: "created, reopened, escalated or test" }),
      status,
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      responseStatus: z.number().int().nullable().meta({ description: "HTTP status, or the SMTP reply code" }),
      createdAt: dateTime,
      updatedAt: dateTime,
      deliveredAt: dateTime.nullable(),
      channel: z.object({ id: z.string(), name: z.string(), type: channelType }),
      finding: z.object({ id: z.string(), title: z.string(), severity: z.string(), type: z.string() }).nullable(),
      payload: z.looseObject({ version: z.literal(1), kind: z.string(), reason: z.string() }).nullable().meta({ description: "The alert document as sent (never channel secrets)" }),
    })
    .meta({ id: "NotificationDelivery" });
  const base = { tags: ["Notifications"], security: [{ bearer: [] }] };
  const idParam = z.object({ id: z.string() });
  const admin = "ADMIN or OWNER session.";

  r.registerPath({ ...base, method: "get", path: "/api/v1/notification-channels", summary: "List notification channels", description: `${admin} By name; secrets are never included.`, responses: { ...ok(z.object({ items: z.array(channel) })), ...problems(401, 403) } });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/notification-channels",
    summary: "Create a notification channel",
    description: `${admin} Audited. WEBHOOK (signed JSON POST), SLACK (incoming webhook) or EMAIL (SMTP). URLs, the signing secret, header values and the SMTP password are stored encrypted and never returned; a generated signing secret is returned once.`,
    request: { body: { required: true, content: { "application/json": { schema: createChannelSchema } } } },
    responses: {
      201: { description: "Created", headers: { Location: { description: "The channel's URL", schema: { type: "string" } } }, content: { "application/json": { schema: saved } } },
      ...problems(400, 401, 403, 409, 413, 415),
    },
  });
  r.registerPath({ ...base, method: "get", path: "/api/v1/notification-channels/{id}", summary: "A notification channel", description: `${admin} Another organization's id is a 404.`, request: { params: idParam }, responses: { ...ok(channel), ...problems(401, 403, 404) } });
  r.registerPath({
    ...base,
    method: "patch",
    path: "/api/v1/notification-channels/{id}",
    summary: "Change a notification channel",
    description: `${admin} Audited (field names only). \`config\` takes the channel type's fields; omitted secrets are kept, \`null\` clears an optional one (EMAIL username, password); WEBHOOK takes \`regenerateSecret: true\`.`,
    request: { params: idParam, body: { required: true, content: { "application/json": { schema: updateChannelSchema } } } },
    responses: { ...ok(saved), ...problems(400, 401, 403, 404, 409, 413, 415) },
  });
  r.registerPath({
    ...base,
    method: "delete",
    path: "/api/v1/notification-channels/{id}",
    summary: "Delete a notification channel",
    description: `${admin} Audited. Its delivery log goes with it.`,
    request: { params: idParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/notification-channels/{id}/test",
    summary: "Send a test notification",
    description: `${admin} Audited. Sends a test alert now with the channel's sender (one attempt, 10 s timeout) and records it in the delivery log as kind "test".`,
    request: { params: idParam },
    responses: {
      ...ok(z.object({ deliveryId: z.string(), status: z.enum(["DELIVERED", "DEAD"]), responseStatus: z.number().int().nullable(), error: z.string().nullable() })),
      ...problems(401, 403, 404),
    },
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/notification-deliveries",
    summary: "The notification delivery log",
    description: "ANALYST or higher (session). Newest first; pass nextCursor as cursor for the next page.",
    request: { query: listNotificationDeliveriesSchema },
    responses: { ...ok(z.object({ items: z.array(delivery), nextCursor: z.string().nullable() })), ...problems(400, 401, 403) },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/notification-deliveries/{id}/retry",
    summary: "Retry a delivery",
    description: `${admin} Audited. A DEAD or RETRYING alert delivery goes back to PENDING and the worker sends it with its usual retries. 409 for delivered, pending or test deliveries; 503 while the job queue is unreachable.`,
    request: { params: idParam },
    responses: { 202: { description: "Queued", content: { "application/json": { schema: delivery } } }, ...problems(401, 403, 404, 409) },
  });
}
