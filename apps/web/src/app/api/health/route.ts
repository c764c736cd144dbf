import { checkHealth, listHeartbeats } from "@bulwark/core";
import { db } from "../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../server/http.ts";
import { redis } from "../../../server/redis.ts";

// Public liveness/readiness probe: coarse results only, no hostnames or connection strings.
export const GET = route(async () => {
  const health = await checkHealth(db(), redis());
  const workers = health.checks.redis.ok ? await listHeartbeats(redis()).then((w) => w.length, () => null) : null;
  const ok = health.status === "ok";
  return json({ status: ok ? "ok" : "degraded", checks: health.checks, workers }, { status: ok ? 200 : 503 });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
