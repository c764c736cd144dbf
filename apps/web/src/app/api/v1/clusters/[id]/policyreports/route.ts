import { AppError, listPolicyReports, policyReportQuerySchema, policyReportsYaml } from "@bulwark/core";
import { apiContext } from "../../../../../../server/api-context.ts";
import { db } from "../../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../../server/http.ts";

// The segment is named [id] because GET /clusters/{id} shares the folder; here it carries the cluster
// NAME (as connectors and kubectl know it). Answers a v1 List of wgpolicyk8s.io/v1alpha2 PolicyReports.
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (req, { params }) => {
  const query = policyReportQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw AppError.fromZod(query.error);
  const ctx = await apiContext(req, { scope: "read" });
  const { id: name } = await params;
  const list = await listPolicyReports(db(), ctx, name);
  if (query.data.format === "yaml") return new Response(policyReportsYaml(list), { headers: { "content-type": "application/yaml; charset=utf-8", "cache-control": "no-store" } });
  return json(list);
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
