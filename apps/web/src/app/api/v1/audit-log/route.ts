import { listAuditLog } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// ?cursor=<id from nextCursor>&limit=1..200&action=<prefix>
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listAuditLog(db(), ctx, query));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
