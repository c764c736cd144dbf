import { getReport } from "@bulwark/core";
import { connectorContext, reportUrl } from "../../../../../server/connector.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// Tokens with "ingest" (the sender) or "read" may poll; getReport checks which. Another org's id is a 404.
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await connectorContext(req, null);
  const { id } = await params;
  const report = await getReport(db(), ctx, id);
  return json({ ...report, statusUrl: reportUrl(report.id) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
