import { deleteNotificationChannel, getNotificationChannel, updateChannelSchema, updateNotificationChannel } from "@bulwark/core";
import { env } from "../../../../../env.ts";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

const MAX_CHANNEL_BODY_BYTES = 64 * 1024;

// Another organization's channel is a 404, exactly like one that does not exist.
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  return json(await getNotificationChannel(db(), ctx, (await params).id));
});

export const PATCH = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, updateChannelSchema, { maxBytes: MAX_CHANNEL_BODY_BYTES });
  return json(await updateNotificationChannel(db(), ctx, (await params).id, body, env().keySecret));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  await deleteNotificationChannel(db(), ctx, (await params).id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodNotAllowed("GET", "PATCH", "DELETE");
