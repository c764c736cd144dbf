import { type Db, plainSql, type Prisma, type ScanRun } from "@bulwark/db";
import { type Logger } from "../logger.ts";
import { type AlertCandidate } from "../notifications/types.ts";
import { imagesForAdvisories, rematch, type RematchStats } from "./rematch.ts";

// A ScanRun is the record of one re-match: what triggered it, its progress (images done of total, for
// the UI's progress bar) and what it did (RematchStats). Runs are executed by the worker's jobs.

/** Called with the findings a run opened or reopened (exceptions already applied): the alerting hook. */
export type OnOpened = (orgId: string, opened: AlertCandidate[]) => Promise<void>;

/** Images a FULL, IMAGE or CLUSTER run covers, in its organization only. */
export async function imagesOfRun(db: Db, run: Pick<ScanRun, "kind" | "orgId" | "targetId">): Promise<string[]> {
  if (!run.orgId) return [];
  if (run.kind === "FULL") {
    const rows = await plainSql(db).$queryRaw<Array<{ id: string }>>`SELECT id FROM "Image" WHERE "orgId" = ${run.orgId} ORDER BY id`;
    return rows.map((r) => r.id);
  }
  if (run.kind === "IMAGE" && run.targetId) {
    const image = await db.image.findFirst({ where: { id: run.targetId, orgId: run.orgId }, select: { id: true } });
    return image ? [image.id] : [];
  }
  if (run.kind === "CLUSTER" && run.targetId) {
    const rows = await plainSql(db).$queryRaw<Array<{ imageId: string }>>`
      SELECT DISTINCT c."imageId" FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId"
      WHERE w."clusterId" = ${run.targetId} AND w."orgId" = ${run.orgId} AND c."imageId" IS NOT NULL`;
    return rows.map((r) => r.imageId).sort();
  }
  return [];
}

// Progress is written at most this often: a run of 5,000 images in chunks must not write 20 rows a second.
const PROGRESS_EVERY_MS = 500;

/** Executes a QUEUED (or interrupted RUNNING) FULL/IMAGE/CLUSTER run. Idempotent: a SUCCEEDED run is left alone. */
export async function executeScanRun(db: Db, runId: string, deps: { logger: Logger; onOpened?: OnOpened; now?: Date }): Promise<ScanRun | null> {
  const run = await db.scanRun.findUnique({ where: { id: runId } });
  if (!run || run.status === "SUCCEEDED" || run.status === "FAILED") return run;
  await db.scanRun.update({ where: { id: run.id }, data: { status: "RUNNING", startedAt: new Date() } });
  try {
    const imageIds = await imagesOfRun(db, run);
    let last = 0;
    const stats = await rematch(
      db,
      { kind: run.kind === "CLUSTER" || run.kind === "IMAGE" ? run.kind : "FULL", imageIds },
      {
        now: deps.now,
        onOpened: deps.onOpened,
        onProgress: async (done, total) => {
          if (done !== 0 && done !== total && Date.now() - last < PROGRESS_EVERY_MS) return;
          last = Date.now();
          await db.scanRun.update({ where: { id: run.id }, data: { done, total } });
        },
      },
    );
    return await db.scanRun.update({
      where: { id: run.id },
      data: { status: "SUCCEEDED", finishedAt: new Date(), done: imageIds.length, total: imageIds.length, stats: stats as unknown as Prisma.InputJsonObject },
    });
  } catch (err) {
    deps.logger.error({ err, scanRunId: run.id }, "scan run failed");
    await db.scanRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), error: "The re-match failed; the worker log has the details." } });
    throw err;
  }
}

/**
 * A delta re-match for advisories that changed: per organization holding an affected package, one DELTA
 * run over just those images and advisories. Answers the runs it recorded.
 */
export async function runDeltaRescan(
  db: Db,
  advisoryIds: readonly string[],
  trigger: string,
  deps: { logger: Logger; onOpened?: OnOpened; now?: Date },
): Promise<Array<{ orgId: string; scanRunId: string; stats: RematchStats }>> {
  const { imageIds } = await imagesForAdvisories(plainSql(db), advisoryIds);
  if (imageIds.length === 0) return [];
  const owners = await db.image.findMany({ where: { id: { in: imageIds } }, select: { id: true, orgId: true } });
  const byOrg = new Map<string, string[]>();
  for (const o of owners) byOrg.set(o.orgId, [...(byOrg.get(o.orgId) ?? []), o.id]);
  const out: Array<{ orgId: string; scanRunId: string; stats: RematchStats }> = [];
  for (const [orgId, ids] of byOrg) {
    const run = await db.scanRun.create({ data: { orgId, kind: "DELTA", status: "RUNNING", trigger, total: ids.length } });
    try {
      const stats = await rematch(db, { kind: "DELTA", advisoryIds, imageIds: ids }, { now: deps.now, onOpened: deps.onOpened });
      await db.scanRun.update({
        where: { id: run.id },
        data: { status: "SUCCEEDED", finishedAt: new Date(), done: ids.length, stats: { ...stats, advisories: advisoryIds.length } as unknown as Prisma.InputJsonObject },
      });
      out.push({ orgId, scanRunId: run.id, stats });
    } catch (err) {
      deps.logger.error({ err, scanRunId: run.id }, "delta re-match failed");
      await db.scanRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), error: "The re-match failed; the worker log has the details." } });
      throw err;
    }
  }
  return out;
}
