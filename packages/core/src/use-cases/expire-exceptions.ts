import { type Db } from "@bulwark/db";
import { writeSystemAudit } from "../audit.ts";
import { releaseException } from "../exceptions/apply.ts";
import { EXCEPTION_TX } from "./approve-exception.ts";

export interface ExpireResult {
  expired: number;
  /** Findings back to OPEN across the expired exceptions. */
  reopened: number;
  /** Reopened runtime findings and policy violations by organization: they alert again (reason "reopened"). */
  alerts: Map<string, string[]>;
}

/** Exceptions handled per call; the job runs again soon, so a backlog drains over a few runs. */
const BATCH = 200;

/**
 * Approved exceptions whose expiresAt has passed reopen what they covered (unless another exception
 * still covers it), get expiredAt, and leave an `exception.expired` audit row by the system. The
 * claim is conditional on expiredAt being unset, so overlapping or repeated runs expire each one once.
 * Bundles already drop an exception at expiresAt (they compare times), so this is about findings.
 */
export async function expireExceptions(db: Db, now = new Date()): Promise<ExpireResult> {
  const due = await db.exception.findMany({
    where: { status: "APPROVED", expiredAt: null, expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    take: BATCH,
    select: { id: true, orgId: true, kind: true, expiresAt: true },
  });
  let expired = 0;
  let reopened = 0;
  const alerts = new Map<string, string[]>();
  for (const ex of due) {
    await db.$transaction(async (tx) => {
      const won = await tx.exception.updateMany({ where: { id: ex.id, status: "APPROVED", expiredAt: null }, data: { expiredAt: now } });
      if (won.count !== 1) return;
      const released = await releaseException(tx, ex.orgId, ex.id, { now });
      await writeSystemAudit(tx, ex.orgId, "system", {
        action: "exception.expired",
        targetType: "exception",
        targetId: ex.id,
        metadata: { kind: ex.kind, expiresAt: ex.expiresAt?.toISOString() ?? null, ...released },
      });
      expired++;
      reopened += released.reopened;
      if (released.alertable?.length) alerts.set(ex.orgId, [...(alerts.get(ex.orgId) ?? []), ...released.alertable]);
    }, EXCEPTION_TX);
  }
  return { expired, reopened, alerts };
}
