import { approveException } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";
import { readDecision } from "../decision-body.ts";

type Ctx = { params: Promise<{ id: string }> };

// ADMIN+; suppresses the open findings the scope matches, and a policy scope reaches the next bundle.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { id } = await params;
  const { exception, suppressed } = await approveException(db(), ctx, id, await readDecision(req));
  return json({ exception, suppressed });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
