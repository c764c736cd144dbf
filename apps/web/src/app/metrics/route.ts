import { AppError, authenticateToken, collectPostureMetrics } from "@bulwark/core";
import { db } from "../../server/db.ts";
import { clientIp, methodNotAllowed, route } from "../../server/http.ts";
import { postureRegistry } from "../../server/metrics.ts";

// Prometheus scrape endpoint, outside /api/v1 where scrapers look for it. Bearer tokens only (a token
// with the `metrics` scope); a browser session is not accepted, so the page cannot be scraped with cookies.
export const GET = route(async (req) => {
  const authorization = req.headers.get("authorization");
  const m = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw new AppError("UNAUTHENTICATED", "Send a token with the metrics scope as Authorization: Bearer <token>");
  const ctx = await authenticateToken(db(), m[1]!, "metrics", clientIp(req.headers));
  const registry = postureRegistry(await collectPostureMetrics(db(), ctx.orgId));
  return new Response(await registry.metrics(), { status: 200, headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
