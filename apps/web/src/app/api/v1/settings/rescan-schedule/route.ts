import { getRescanSchedule, rescanScheduleSchema, setRescanSchedule } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

// The cron (UTC) of the organization's full vulnerability re-match; ADMIN+ changes it (audited).
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json(await getRescanSchedule(db(), ctx));
});

export const PUT = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, rescanScheduleSchema, { maxBytes: 1024 });
  return json(await setRescanSchedule(db(), ctx, body));
});

export const { POST, PATCH, DELETE } = methodNotAllowed("GET", "PUT");
