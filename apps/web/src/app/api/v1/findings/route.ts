import { listFindings } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// The findings explorer's URL contract (docs/findings.md): any member, or a token with "read".
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await listFindings(db(), ctx, new URL(req.url).searchParams));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
