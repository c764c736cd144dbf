import { type Db } from "@bulwark/db";
import { countOverview } from "./get-overview.ts";

/** Writes (or rewrites) today's snapshot for one organization; safe to run any number of times a day. */
export async function takePostureSnapshot(db: Db, orgId: string, now = new Date()) {
  const overview = await countOverview(db, orgId);
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const data = {
    score: overview.score,
    openBySeverity: overview.openBySeverity,
    openByType: overview.openByType,
    clusters: overview.clusters,
    workloads: overview.workloads,
    images: overview.images,
  };
  // Tally rows of images or clusters whose findings all closed are dead weight; today's run sweeps them.
  await db.$executeRaw`DELETE FROM "FindingTally" WHERE "orgId" = ${orgId} AND n = 0`;
  return db.postureSnapshot.upsert({ where: { orgId_day: { orgId, day } }, create: { orgId, day, ...data }, update: data });
}
