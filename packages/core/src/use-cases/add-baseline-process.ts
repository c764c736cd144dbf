import { type Db } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { anomalyWhere, type BaselineView, loadBaseline, MAX_BASELINE_PROCESSES, toBaselineView } from "../runtime/baseline-view.ts";

export const addBaselineProcessSchema = z.strictObject({
  process: z
    .string()
    .trim()
    .min(1, "Give the process")
    .max(4_096)
    .refine((p) => p !== "<NA>", { message: "Not a process" })
    .meta({ description: "Executable path as Falco reports it (proc.exepath), or the process name", example: "/usr/bin/curl" }),
});

/**
 * Allows a process in a baseline (ADMIN+, audited) and resolves the baseline's OPEN anomaly findings
 * for it: adding is how an anomaly is judged expected. Adding a process already there still resolves
 * its open anomalies (one raised before a concurrent add, say).
 */
export async function addBaselineProcess(db: Db, ctx: OrgContext, id: string, input: unknown, now = new Date()): Promise<BaselineView> {
  requireRole(ctx, "ADMIN");
  const parsed = addBaselineProcessSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { process } = parsed.data;
  return db.$transaction(async (tx) => {
    const row = await loadBaseline(tx, ctx.orgId, id);
    // Row lock: ingestion adds learned processes to the same array in its own transactions.
    await tx.$queryRaw`SELECT id FROM "ProcessBaseline" WHERE id = ${row.id} FOR UPDATE`;
    const current = (await tx.processBaseline.findUniqueOrThrow({ where: { id: row.id }, select: { processes: true } })).processes;
    const added = !current.includes(process);
    if (added && current.length >= MAX_BASELINE_PROCESSES) {
      throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "process", message: `The baseline already holds ${MAX_BASELINE_PROCESSES} processes` }] });
    }
    if (added) await tx.processBaseline.update({ where: { id: row.id }, data: { processes: [...current, process] } });
    const resolved = await tx.finding.updateMany({ where: { ...anomalyWhere(ctx.orgId, row.id, process), status: "OPEN" }, data: { status: "RESOLVED", resolvedAt: now } });
    await writeAudit(tx, ctx, {
      action: "baseline.process-added",
      targetType: "process_baseline",
      targetId: row.id,
      metadata: { workloadId: row.workload.id, container: row.container, process, added, anomaliesResolved: resolved.count },
    });
    return toBaselineView(tx, ctx.orgId, await loadBaseline(tx, ctx.orgId, row.id));
  });
}
