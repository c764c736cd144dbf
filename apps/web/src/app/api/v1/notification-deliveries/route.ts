import { listNotificationDeliveries } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// The delivery log (ANALYST+), newest first; filters channel, status, finding, kind; keyset pages.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listNotificationDeliveries(db(), ctx, query));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
