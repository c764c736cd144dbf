import { listRuntimeFindings } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// Runtime aggregates with the Runtime page's URL contract (docs/runtime.md): any member, or a token with "read".
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await listRuntimeFindings(db(), ctx, new URL(req.url).searchParams));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
