import { enforcementActionResultSchema, reportEnforcementActionResult } from "@bulwark/core";
import { connectorContext } from "../../../../../../../server/connector.ts";
import { db } from "../../../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

const MAX_RESULT_BYTES = 8 * 1024;

// The claiming enforcement point reports how an action went (token scope `enforcement`); the same
// report again is a no-op, so an enforcer may retry after a timeout.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await connectorContext(req, "enforcement");
  const { id } = await params;
  const body = await readJson(req, enforcementActionResultSchema, { maxBytes: MAX_RESULT_BYTES });
  return json(await reportEnforcementActionResult(db(), ctx, id, body));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
