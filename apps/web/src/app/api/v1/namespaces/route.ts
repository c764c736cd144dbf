import { listNamespaces } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// ?cluster=&q=&sort=name|cluster|workloads|lastSeen&dir=&cursor=&limit=
// Any member, or a token with "read"; the same parameters as the /namespaces page.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listNamespaces(db(), ctx, query));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
