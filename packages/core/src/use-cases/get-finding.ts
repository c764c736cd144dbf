import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

export async function getFinding(db: Db, ctx: OrgContext, id: string) {
  requireReader(ctx);
  const finding = await db.finding.findFirst({
    where: { id, orgId: ctx.orgId },
    include: {
      image: { select: { id: true, digest: true, repository: true, tags: true } },
      workload: { select: { id: true, kind: true, name: true } },
      cluster: { select: { id: true, name: true } },
      namespace: { select: { id: true, name: true } },
    },
  });
  if (!finding) throw AppError.notFound("Finding");
  return finding;
}
