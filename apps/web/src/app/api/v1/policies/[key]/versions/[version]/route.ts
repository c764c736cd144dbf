import { getPolicyVersion } from "@bulwark/core";
import { apiContext } from "../../../../../../../server/api-context.ts";
import { db } from "../../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../../server/http.ts";

type Ctx = { params: Promise<{ key: string; version: string }> };

export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: null });
  const { key, version } = await params;
  return json(await getPolicyVersion(db(), ctx, key, version));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
