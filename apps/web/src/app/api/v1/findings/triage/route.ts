import { triageFindings, triageFindingsSchema } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

// 500 ids of at most 40 characters, a reason and a filter: well under 64 KiB.
const MAX_BODY_BYTES = 64 * 1024;

// ANALYST+ (the use case checks; tokens are refused). Another organization's id is a 404.
export const POST = route(async (req) => {
  const ctx = await apiContext(req, { scope: null });
  const body = await readJson(req, triageFindingsSchema, { maxBytes: MAX_BODY_BYTES });
  return json(await triageFindings(db(), ctx, body));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
