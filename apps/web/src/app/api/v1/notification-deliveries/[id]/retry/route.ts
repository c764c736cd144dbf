import { retryNotificationDelivery } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";
import { queue } from "../../../../../../server/queue.ts";

type Ctx = { params: Promise<{ id: string }> };

// A dead (or still retrying) delivery goes back to the worker: 202, then the log shows the outcome.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  return json(await retryNotificationDelivery(db(), await queue(), ctx, (await params).id), { status: 202 });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
