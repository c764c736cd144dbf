import { isAppError, requireReader, type OrgContext } from "@bulwark/core";
import { notFound } from "next/navigation";
import { db } from "../../../server/db.ts";

// Reads of the exception pages that have no use case of their own.

export interface HistoryEntry {
  id: string;
  action: string;
  actor: string;
  at: Date;
  metadata: unknown;
}

/**
 * The audit rows about one exception, oldest first. Any member may see them: they are the
 * exception's own story (who asked, who decided, why). The full audit log stays ADMIN+, and the
 * client IP of each row is not read here.
 */
export async function exceptionHistory(ctx: OrgContext, id: string): Promise<HistoryEntry[]> {
  requireReader(ctx);
  const rows = await db().auditLog.findMany({
    where: { orgId: ctx.orgId, targetType: "exception", targetId: id, action: { startsWith: "exception." } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 100,
    select: { id: true, action: true, actorLabel: true, createdAt: true, metadata: true },
  });
  return rows.map((r) => ({ id: r.id, action: r.action, actor: r.actorLabel, at: r.createdAt, metadata: r.metadata }));
}

/** Policy keys of the organization, for the request form's suggestions. */
export async function policyKeys(ctx: OrgContext): Promise<string[]> {
  requireReader(ctx);
  const rows = await db().policy.findMany({ where: { orgId: ctx.orgId }, select: { key: true }, orderBy: { key: "asc" }, take: 500 });
  return rows.map((r) => r.key);
}

/** A use case's NOT_FOUND as the page's 404. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  }
}
