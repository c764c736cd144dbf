import { createChannelSchema, createNotificationChannel, listNotificationChannels } from "@bulwark/core";
import { env } from "../../../../env.ts";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../server/http.ts";

// Channel settings are small; 50 recipients and 20 headers fit easily.
const MAX_CHANNEL_BODY_BYTES = 64 * 1024;

// Where alerts go (ADMIN+ for everything, the use cases check). Secrets are encrypted with the
// installation key secret and never returned; a generated webhook signing secret is shown once, here.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json({ items: await listNotificationChannels(db(), ctx) });
});

export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, createChannelSchema, { maxBytes: MAX_CHANNEL_BODY_BYTES });
  const created = await createNotificationChannel(db(), ctx, body, env().keySecret);
  return json(created, { status: 201, headers: { location: `/api/v1/notification-channels/${created.channel.id}` } });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
