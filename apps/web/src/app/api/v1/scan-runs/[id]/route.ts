import { getScanRun } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const ctx = await apiContext(req);
  return json(await getScanRun(db(), ctx, (await params).id));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
