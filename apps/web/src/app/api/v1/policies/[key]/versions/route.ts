import { listPolicyVersions } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ key: string }> };

export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: null });
  const { key } = await params;
  return json(await listPolicyVersions(db(), ctx, key));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
