import { type Db } from "@bulwark/db";
import { type OrgContext, requireRole } from "../context.ts";

export interface ApiTokenSummary {
  id: string;
  name: string;
  /** Non-secret leading characters, so an admin can match a token to where it is configured. */
  prefix: string;
  scopes: string[];
  clusterName: string | null;
  registryName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** The organization's API tokens, newest first (ADMIN+). The hash never leaves the database. */
export async function listApiTokens(db: Db, ctx: OrgContext): Promise<ApiTokenSummary[]> {
  requireRole(ctx, "ADMIN");
  const rows = await db.apiToken.findMany({
    where: { orgId: ctx.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      cluster: { select: { name: true } },
      registry: { select: { name: true } },
    },
  });
  return rows.map(({ cluster, registry, ...t }) => ({ ...t, clusterName: cluster?.name ?? null, registryName: registry?.name ?? null }));
}
