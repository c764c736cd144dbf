import { type Db, plainSql } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { workloadApiVersion } from "../policies/inventory-inputs.ts";
import { buildPolicyReports, type PolicyReportList } from "../posture/policy-report.ts";

// GET /api/v1/clusters/{name}/policyreports: the stored policy results of a cluster's live workloads as
// PolicyReports, one per namespace. Another organization's cluster name is a 404 like an unknown one.

export const policyReportQuerySchema = z.strictObject({
  format: z.enum(["json", "yaml"]).default("json").meta({ description: "`yaml` answers application/yaml, ready for `kubectl apply -f -`" }),
});

export async function listPolicyReports(db: Db, ctx: OrgContext, clusterName: string): Promise<PolicyReportList> {
  requireReader(ctx);
  const cluster = await db.cluster.findUnique({ where: { orgId_name: { orgId: ctx.orgId, name: clusterName } }, select: { id: true, name: true } });
  if (!cluster) throw AppError.notFound("Cluster");
  const rows = await plainSql(db).$queryRaw<Array<{ id: string; namespace: string; kind: string; name: string; uid: string | null; evaluatedAt: Date | null; policyResults: unknown }>>`
    SELECT w.id, n.name AS namespace, w.kind, w.name, w.uid, w."evaluatedAt", w."policyResults"
    FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId"
    WHERE w."orgId" = ${ctx.orgId} AND w."clusterId" = ${cluster.id} AND NOT w.deleted
    ORDER BY n.name, w.kind, w.name`;
  return buildPolicyReports(
    cluster.name,
    rows.map((r) => ({ ...r, apiVersion: workloadApiVersion(r.kind) })),
  );
}
