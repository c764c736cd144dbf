import { admissionDecisionBatchSchema, recordAdmissionDecisions } from "@bulwark/core";
import { queueAlertsInBackground } from "../../../../../server/alerts.ts";
import { connectorContext } from "../../../../../server/connector.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

// An enforcement point's batch of admission decisions (token scope `enforcement`); re-sending a
// batch stores nothing twice. Bodies are bounded by BULWARK_MAX_BODY_BYTES (1,000 decisions fit).
export const POST = route(async (req) => {
  const ctx = await connectorContext(req, "enforcement");
  const body = await readJson(req, admissionDecisionBatchSchema);
  const { alerts, ...recorded } = await recordAdmissionDecisions(db(), ctx, body);
  queueAlertsInBackground(ctx.orgId, alerts);
  return json(recorded);
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
