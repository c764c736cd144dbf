import { listExceptions, requestException, requestExceptionSchema } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../server/http.ts";

// A scope and a justification of at most 2,000 characters: a few KiB at most.
const MAX_BODY_BYTES = 16 * 1024;

// ?status=&kind=&flag=unused|broad&cursor=&limit= — any member, or a token with "read".
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listExceptions(db(), ctx, query));
});

// ANALYST+ (the use case checks); nothing is suppressed until an admin approves.
export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, requestExceptionSchema, { maxBytes: MAX_BODY_BYTES });
  const created = await requestException(db(), ctx, body);
  return json(created, { status: 201, headers: { location: `/api/v1/exceptions/${created.exception.id}` } });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
