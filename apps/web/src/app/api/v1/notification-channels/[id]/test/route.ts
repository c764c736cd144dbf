import { sendTestNotification } from "@bulwark/core";
import { env } from "../../../../../../env.ts";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// A test alert sent now (bounded by the sender's 10 s timeout); the answer says whether it arrived.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  return json(await sendTestNotification(db(), ctx, (await params).id, { keySecret: env().keySecret, dashboardUrl: env().NEXTAUTH_URL }));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
