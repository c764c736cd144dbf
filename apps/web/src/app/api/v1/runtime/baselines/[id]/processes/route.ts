import { addBaselineProcess, addBaselineProcessSchema } from "@bulwark/core";
import { apiContext } from "../../../../../../../server/api-context.ts";
import { db } from "../../../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// Allows a process (ADMIN+, audited) and resolves that process's open anomaly findings.
export const POST = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, addBaselineProcessSchema, { maxBytes: 8 * 1024 });
  return json(await addBaselineProcess(db(), ctx, (await params).id, body));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
