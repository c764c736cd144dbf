import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";

/** Removes an allowed deployer (ADMIN+, audited). Another organization's entry is a 404. */
export async function removeAllowedDeployer(db: Db, ctx: OrgContext, id: string): Promise<void> {
  requireRole(ctx, "ADMIN");
  await db.$transaction(async (tx) => {
    const row = await tx.allowedDeployer.findFirst({ where: { id, orgId: ctx.orgId } });
    if (!row) throw AppError.notFound("Allowed deployer");
    await tx.allowedDeployer.delete({ where: { id: row.id } });
    await writeAudit(tx, ctx, { action: "allowed_deployer.removed", targetType: "allowed_deployer", targetId: row.id, metadata: { namespace: row.namespace, subject: row.subject } });
  });
}
