import { listAdmissionDecisions } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// ?cluster=&namespace=&allowed=true|false&policy=&since=&cursor=&limit= (members, tokens with `read`).
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json(await listAdmissionDecisions(db(), ctx, Object.fromEntries(new URL(req.url).searchParams)));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
