import { listEnforcementPoints } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// The organization's enforcement points with the bundle version each runs (drift) and its last heartbeat.
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: null });
  return json({ items: await listEnforcementPoints(db(), ctx) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
