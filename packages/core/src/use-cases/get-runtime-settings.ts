import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";

export interface RuntimeSettings {
  /** How long a new process baseline learns before it locks. */
  baselineLearningMinutes: number;
  /** One alert per runtime finding within this window. */
  alertDedupMinutes: number;
}

export async function getRuntimeSettings(db: Db, ctx: OrgContext): Promise<RuntimeSettings> {
  requireReader(ctx);
  return db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { baselineLearningMinutes: true, alertDedupMinutes: true } });
}
