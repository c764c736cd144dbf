import { resetProcessBaseline } from "@bulwark/core";
import { apiContext } from "../../../../../../../server/api-context.ts";
import { db } from "../../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// ADMIN+ (audited): a signed-in admin; tokens act for no one and are refused by the use case.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  return json(await resetProcessBaseline(db(), ctx, (await params).id));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
