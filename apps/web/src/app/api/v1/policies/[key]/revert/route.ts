import { revertPolicy, revertPolicySchema } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ key: string }> };

// Saves the old version's definition as a new version; history only grows.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, revertPolicySchema, { maxBytes: 16 * 1024 });
  const { key } = await params;
  return json(await revertPolicy(db(), ctx, key, body));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
