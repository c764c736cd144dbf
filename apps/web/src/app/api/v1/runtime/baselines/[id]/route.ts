import { getProcessBaseline } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await getProcessBaseline(db(), ctx, (await params).id));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
