import { removeAllowedDeployer } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// Another organization's id is a 404, exactly like one that does not exist.
export const DELETE = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { id } = await params;
  await removeAllowedDeployer(db(), ctx, id);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = methodNotAllowed("DELETE");
