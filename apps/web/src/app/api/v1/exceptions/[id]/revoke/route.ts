import { revokeException } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";
import { readDecision } from "../decision-body.ts";

type Ctx = { params: Promise<{ id: string }> };

// ADMIN+ for an approved exception (its findings reopen unless another covers them); the requester may withdraw a request.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { id } = await params;
  const { exception, reopened, reapplied } = await revokeException(db(), ctx, id, await readDecision(req));
  return json({ exception, reopened, reapplied });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
