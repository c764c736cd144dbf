import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";

/** A cluster picker's choices: the organization's cluster names, sorted (bounded for huge fleets). */
export async function listClusterNames(db: Db, ctx: OrgContext, limit = 1_000): Promise<string[]> {
  requireReader(ctx);
  const rows = await db.cluster.findMany({ where: { orgId: ctx.orgId }, select: { name: true }, orderBy: { name: "asc" }, take: Math.min(Math.max(limit, 1), 10_000) });
  return rows.map((r) => r.name);
}
