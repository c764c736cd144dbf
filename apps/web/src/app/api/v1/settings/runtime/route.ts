import { getRuntimeSettings, runtimeSettingsSchema, updateRuntimeSettings } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

// Baseline learning window and alert dedup window: any member reads, ADMIN+ changes (audited).
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json(await getRuntimeSettings(db(), ctx));
});

export const PUT = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, runtimeSettingsSchema, { maxBytes: 1024 });
  return json(await updateRuntimeSettings(db(), ctx, body));
});

export const { POST, PATCH, DELETE } = methodNotAllowed("GET", "PUT");
