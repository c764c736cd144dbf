import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

export async function getWorkload(db: Db, ctx: OrgContext, id: string) {
  requireReader(ctx);
  const workload = await db.workload.findFirst({
    where: { id, orgId: ctx.orgId },
    include: {
      cluster: { select: { id: true, name: true } },
      namespace: { select: { id: true, name: true } },
      containers: { include: { image: { select: { id: true, digest: true, repository: true, tags: true } } } },
    },
  });
  if (!workload) throw AppError.notFound("Workload");
  return workload;
}
