import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { type RuntimeSettings } from "./get-runtime-settings.ts";

export const runtimeSettingsSchema = z
  .strictObject({
    baselineLearningMinutes: z
      .number()
      .int("A whole number of minutes")
      .min(5, "At least 5 minutes")
      .max(43_200, "At most 43200 minutes (30 days)")
      .optional()
      .meta({ description: "Learning window of new process baselines, minutes (5 to 43200)", example: 1440 }),
    alertDedupMinutes: z
      .number()
      .int("A whole number of minutes")
      .min(1, "At least 1 minute")
      .max(10_080, "At most 10080 minutes (7 days)")
      .optional()
      .meta({ description: "A runtime finding alerts at most once per this many minutes (1 to 10080)", example: 60 }),
  })
  .refine((v) => v.baselineLearningMinutes !== undefined || v.alertDedupMinutes !== undefined, { message: "Set baselineLearningMinutes or alertDedupMinutes" });

export type RuntimeSettingsInput = z.input<typeof runtimeSettingsSchema>;

/**
 * Changes the organization's runtime settings (ADMIN+, audited). A new learning window applies to
 * baselines created (or reset) afterwards; baselines already learning keep their end time.
 */
export async function updateRuntimeSettings(db: Db, ctx: OrgContext, input: unknown): Promise<RuntimeSettings> {
  requireRole(ctx, "ADMIN");
  const parsed = runtimeSettingsSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const change = parsed.data;
  return db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { baselineLearningMinutes: true, alertDedupMinutes: true } });
    const after = await tx.organization.update({
      where: { id: ctx.orgId },
      data: change,
      select: { baselineLearningMinutes: true, alertDedupMinutes: true },
    });
    await writeAudit(tx, ctx, { action: "runtime_settings.updated", targetType: "organization", targetId: ctx.orgId, metadata: { from: { ...before }, to: { ...after } } });
    return after;
  });
}
