import { clonePolicy, clonePolicySchema } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ key: string }> };

export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, clonePolicySchema, { maxBytes: 16 * 1024 });
  const { key } = await params;
  const policy = await clonePolicy(db(), ctx, key, body);
  return json(policy, { status: 201, headers: { location: `/api/v1/policies/${policy.key}` } });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
