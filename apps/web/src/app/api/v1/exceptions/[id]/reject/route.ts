import { rejectException } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";
import { readDecision } from "../decision-body.ts";

type Ctx = { params: Promise<{ id: string }> };

// ADMIN+, requested exceptions only; the note is kept as closeNote.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { id } = await params;
  return json({ exception: await rejectException(db(), ctx, id, await readDecision(req)) });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
