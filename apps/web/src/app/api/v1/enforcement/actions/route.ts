import { claimEnforcementActions } from "@bulwark/core";
import { connectorContext } from "../../../../../server/connector.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// An enforcement point claims the response actions waiting for its cluster (token scope `enforcement`):
// ?point=<its name>&limit=&wait= (long-poll ≤ 30 s, ended early when the client goes away). One
// request counts once against the token's rate limit however long it waits.
export const GET = route(async (req) => {
  const ctx = await connectorContext(req, "enforcement");
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await claimEnforcementActions(db(), ctx, query, { signal: req.signal }), { headers: { "cache-control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
