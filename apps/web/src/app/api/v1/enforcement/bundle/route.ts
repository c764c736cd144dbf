import { AppError, bundleQuerySchema, getEnforcementBundle } from "@bulwark/core";
import { env } from "../../../../../env.ts";
import { connectorContext } from "../../../../../server/connector.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";
import { logger } from "../../../../../server/logger.ts";

// The organization's signed policy bundle. Tokens need `enforcement` or `policy:read` (the use case
// checks which) and count once against the per-token rate limit per request, however long a
// long-poll (?wait=) holds it, so an enforcement point polling continuously uses about one a minute.
export const GET = route(async (req) => {
  const ctx = await connectorContext(req, null);
  const query = bundleQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw AppError.fromZod(query.error);
  const answer = await getEnforcementBundle(db(), ctx, env().keySecret, {
    ifNoneMatch: req.headers.get("if-none-match"),
    waitSeconds: query.data.wait,
    // The wait ends when the client goes away.
    signal: req.signal,
    log: logger(),
  });
  const headers = { etag: answer.etag, "cache-control": "no-cache" };
  if (!answer.modified) return new Response(null, { status: 304, headers });
  return json(answer.bundle, { headers });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
