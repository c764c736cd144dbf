import { deleteSavedView } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// Your own view, or (ADMIN+) a shared one; anything else is a 404.
export const DELETE = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: null });
  const { id } = await params;
  return json(await deleteSavedView(db(), ctx, id));
});

export const { GET, POST, PUT, PATCH } = methodNotAllowed("DELETE");
