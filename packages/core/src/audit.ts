import { type DbTx, type Prisma } from "@bulwark/db";
import { actorLabel, type OrgContext } from "./context.ts";

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  metadata?: Prisma.InputJsonValue;
}

/** Call inside the transaction that makes the change, so the change and its record land together. */
export async function writeAudit(tx: DbTx, ctx: OrgContext, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      orgId: ctx.orgId,
      actorType: ctx.actor.type === "user" ? "USER" : "TOKEN",
      actorId: ctx.actor.type === "user" ? ctx.actor.userId : ctx.actor.tokenId,
      actorLabel: actorLabel(ctx.actor),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      metadata: entry.metadata ?? {},
      ip: ctx.ip ?? null,
    },
  });
}

export async function writeSystemAudit(tx: DbTx, orgId: string, label: string, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      orgId,
      actorType: "SYSTEM",
      actorLabel: label,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      metadata: entry.metadata ?? {},
    },
  });
}
