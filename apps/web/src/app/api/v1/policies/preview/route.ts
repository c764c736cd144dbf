import { previewPolicyImpact, previewPolicyImpactSchema } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

const MAX_POLICY_BODY_BYTES = 256 * 1024;

// Impact preview: the draft is evaluated against the current inventory and nothing is saved (ADMIN).
export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, previewPolicyImpactSchema, { maxBytes: MAX_POLICY_BODY_BYTES });
  return json(await previewPolicyImpact(db(), ctx, body));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
