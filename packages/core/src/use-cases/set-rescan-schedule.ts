import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireReader, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { isValidCron, lastOccurrence } from "../vuln/jobs.ts";

export const rescanScheduleSchema = z.strictObject({
  cron: z
    .string()
    .trim()
    .min(9)
    .max(100)
    .refine(isValidCron, { message: 'Use a cron pattern of 5 fields in UTC, e.g. "0 3 * * *" for every day at 03:00' }),
});

export interface RescanSchedule {
  cron: string;
  /** The most recent time the pattern fired (UTC), for the UI to show the schedule in plain terms. */
  lastDue: Date | null;
}

export async function getRescanSchedule(db: Db, ctx: OrgContext): Promise<RescanSchedule> {
  requireReader(ctx);
  const org = await db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { rescanCron: true } });
  return { cron: org.rescanCron, lastDue: lastOccurrence(org.rescanCron, new Date()) };
}

/** Sets the full re-match cron (ADMIN+, audited); the worker's minute tick picks it up. */
export async function setRescanSchedule(db: Db, ctx: OrgContext, input: unknown): Promise<RescanSchedule> {
  requireRole(ctx, "ADMIN");
  const parsed = rescanScheduleSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const cron = parsed.data.cron.replace(/\s+/g, " ");
  await db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { rescanCron: true } });
    await tx.organization.update({ where: { id: ctx.orgId }, data: { rescanCron: cron } });
    await writeAudit(tx, ctx, { action: "rescan_schedule.updated", targetType: "organization", targetId: ctx.orgId, metadata: { from: before.rescanCron, to: cron } });
  });
  return { cron, lastDue: lastOccurrence(cron, new Date()) };
}
