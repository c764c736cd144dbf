import { getFindingDetail } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// Another organization's id is a 404, exactly like an id that does not exist.
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: "read" });
  const { id } = await params;
  return json(await getFindingDetail(db(), ctx, id));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
