import { deletePolicy, getPolicy, updatePolicy, updatePolicySchema } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ key: string }> };

const MAX_POLICY_BODY_BYTES = 256 * 1024;

// Another organization's key is a 404, exactly like a key that does not exist.
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: null });
  const { key } = await params;
  return json(await getPolicy(db(), ctx, key));
});

export const PUT = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, updatePolicySchema, { maxBytes: MAX_POLICY_BODY_BYTES });
  const { key } = await params;
  return json(await updatePolicy(db(), ctx, key, body));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { key } = await params;
  return json(await deletePolicy(db(), ctx, key));
});

export const { POST, PATCH } = methodNotAllowed("GET", "PUT", "DELETE");
