import { listMembers } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json(await listMembers(db(), ctx));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
