import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";

export interface EnforcementPointSummary {
  id: string;
  name: string;
  cluster: { id: string; name: string } | null;
  agentVersion: string | null;
  /** The bundle version it last said it runs; null before its first bundle. */
  bundleVersion: number | null;
  lastHeartbeatAt: Date | null;
  excludedNamespaces: string[];
  createdAt: Date;
}

/** The organization's enforcement points (any member, or a token with `policy:read`), by name. */
export async function listEnforcementPoints(db: Db, ctx: OrgContext): Promise<EnforcementPointSummary[]> {
  requireReader(ctx, "policy:read");
  const rows = await db.enforcementPoint.findMany({
    where: { orgId: ctx.orgId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, agentVersion: true, bundleVersion: true, lastHeartbeatAt: true, excludedNamespaces: true, createdAt: true, cluster: { select: { id: true, name: true } } },
  });
  return rows;
}
