import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

// Lookups filter on (id, orgId) together: another organization's object is indistinguishable from
// one that does not exist, so the answer is 404, never 403.

export async function getCluster(db: Db, ctx: OrgContext, id: string) {
  requireReader(ctx);
  const cluster = await db.cluster.findFirst({
    where: { id, orgId: ctx.orgId },
    include: { _count: { select: { namespaces: { where: { deletedAt: null } }, workloads: { where: { deleted: false } } } } },
  });
  if (!cluster) throw AppError.notFound("Cluster");
  return cluster;
}
