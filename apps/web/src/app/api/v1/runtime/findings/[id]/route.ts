import { getRuntimeFinding } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// Another organization's id, or a finding that is not a runtime one, is a 404.
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: "read" });
  return json(await getRuntimeFinding(db(), ctx, (await params).id));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
