import { enforcementHeartbeatSchema, recordEnforcementHeartbeat } from "@bulwark/core";
import { connectorContext } from "../../../../../server/connector.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

const MAX_HEARTBEAT_BYTES = 16 * 1024;

// An enforcement point's periodic "alive, running bundle N" (token scope `enforcement`).
export const POST = route(async (req) => {
  const ctx = await connectorContext(req, "enforcement");
  const body = await readJson(req, enforcementHeartbeatSchema, { maxBytes: MAX_HEARTBEAT_BYTES });
  return json(await recordEnforcementHeartbeat(db(), ctx, body));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
