import { listAdvisories } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// The advisory store (OSV records, instance-wide), with the caller's open findings per advisory.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json(await listAdvisories(db(), ctx, Object.fromEntries(new URL(req.url).searchParams)));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
