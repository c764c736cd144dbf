import { listRuntimeEvents } from "@bulwark/core";
import { apiContext } from "../../../../../../../server/api-context.ts";
import { db } from "../../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// The raw events behind one aggregate, newest first (keyset pages).
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await listRuntimeEvents(db(), ctx, (await params).id, Object.fromEntries(new URL(req.url).searchParams)));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
