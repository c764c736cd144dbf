import { getCompliance } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  const cluster = new URL(req.url).searchParams.get("cluster");
  return json(await getCompliance(db(), ctx, cluster ? { cluster } : {}));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
