import { createPolicy, createPolicySchema, listPolicies } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../server/http.ts";

// A definition is at most a few KiB of rule and scope; a far tighter bound than report uploads.
const MAX_POLICY_BODY_BYTES = 256 * 1024;

// ?category=&severity=&stage=&enforcement=&enabled=true|false&builtin=true|false&q=
// Tokens need read or policy:read; the use case checks which.
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: null });
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listPolicies(db(), ctx, query));
});

export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, createPolicySchema, { maxBytes: MAX_POLICY_BODY_BYTES });
  const policy = await createPolicy(db(), ctx, body);
  return json(policy, { status: 201, headers: { location: `/api/v1/policies/${policy.key}` } });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
