import { listResponseActions } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// ?status=&cluster=&policy=&cursor=&limit= (members, tokens with `read`): response actions, newest first.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json(await listResponseActions(db(), ctx, Object.fromEntries(new URL(req.url).searchParams)));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
