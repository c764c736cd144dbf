import { cancelResponseAction } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// ADMIN+: stops a pending or claimed response action (audited).
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { id } = await params;
  return json({ action: await cancelResponseAction(db(), ctx, id) });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
