import { type Db, type DbTx } from "@bulwark/db";
import { type OrgContext } from "../context.ts";
import { findPolicy, requirePolicyReader } from "../policies/store.ts";

export interface PolicyVersionSummary {
  version: number;
  message: string | null;
  authorId: string | null;
  /** The author's email when the user still exists; null for built-ins and system changes. */
  authorEmail: string | null;
  createdAt: Date;
}

export async function listVersionRows(tx: DbTx, orgId: string, policyId: string): Promise<PolicyVersionSummary[]> {
  const rows = await tx.policyVersion.findMany({
    where: { orgId, policyId },
    orderBy: { version: "desc" },
    select: { version: true, message: true, authorId: true, createdAt: true },
  });
  const authorIds = [...new Set(rows.map((r) => r.authorId).filter((id): id is string => id !== null))];
  const users = authorIds.length > 0 ? await tx.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return rows.map((r) => ({ ...r, authorEmail: r.authorId ? (emails.get(r.authorId) ?? null) : null }));
}

/** A policy's versions, newest first. Any member; tokens with read or policy:read. */
export async function listPolicyVersions(db: Db, ctx: OrgContext, key: string): Promise<{ key: string; currentVersion: number; versions: PolicyVersionSummary[] }> {
  requirePolicyReader(ctx);
  const row = await findPolicy(db, ctx, key);
  return { key: row.key, currentVersion: row.currentVersion, versions: await listVersionRows(db, ctx.orgId, row.id) };
}
