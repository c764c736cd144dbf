import { getOverview } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";
import { db } from "../../../../server/db.ts";

export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await getOverview(db(), ctx));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
