import { getRuntimeActivity } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// What the Runtime page's live refresh polls: a signature that changes with any runtime aggregate.
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await getRuntimeActivity(db(), ctx, Object.fromEntries(new URL(req.url).searchParams)));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
