import { listFixLeverage } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// "Upgrade P to V → removes N findings across M workloads", sorted by impact.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json({ items: await listFixLeverage(db(), ctx, Object.fromEntries(new URL(req.url).searchParams)) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
