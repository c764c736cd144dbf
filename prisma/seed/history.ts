import { type Db, type FindingType, type Severity } from "@bulwark/db";
import { postureScore, SEVERITIES, takePostureSnapshot } from "@bulwark/core";
import { prng, utcDay } from "./util.ts";

// Thirty days of posture history ending today, so trend charts have something to draw. Today's row is
// the real snapshot of the seeded data (the same use case the nightly job runs); earlier days are
// that picture scaled back up along an improving trend, critical issues shrinking fastest.

export const HISTORY_DAYS = 30;

export async function seedPostureHistory(db: Db, orgId: string, slug: string, now: Date): Promise<void> {
  const today = await takePostureSnapshot(db, orgId, now);
  const bySeverity = today.openBySeverity as Record<Severity, number>;
  const byType = today.openByType as Record<FindingType, number>;
  const total = Object.values(bySeverity).reduce((a, b) => a + b, 0);
  const rand = prng(`history:${slug}`);
  const rows = [];
  for (let d = HISTORY_DAYS - 1; d >= 1; d--) {
    const progress = d / (HISTORY_DAYS - 1); // 1 = thirty days ago, 0 = today
    const noise = () => 1 + (rand() - 0.5) * 0.08;
    const factor: Record<Severity, number> = {
      CRITICAL: 1 + 2.2 * progress,
      HIGH: 1 + 1.1 * progress,
      MEDIUM: 1 + 0.5 * progress,
      LOW: 1 + 0.25 * progress,
      INFO: 1 + 0.1 * progress,
    };
    const sev = Object.fromEntries(SEVERITIES.map((s) => [s, Math.round(bySeverity[s] * factor[s] * noise())])) as Record<Severity, number>;
    const dayTotal = Object.values(sev).reduce((a, b) => a + b, 0);
    const ratio = total ? dayTotal / total : 1;
    const types = Object.fromEntries(Object.entries(byType).map(([t, n]) => [t, Math.round(n * ratio)]));
    const workloads = Math.max(0, today.workloads - Math.round(3 * progress));
    rows.push({
      orgId,
      day: utcDay(now, d),
      score: postureScore(sev, workloads),
      openBySeverity: sev,
      openByType: types,
      clusters: today.clusters,
      workloads,
      images: Math.max(0, today.images - Math.round(2 * progress)),
    });
  }
  await db.postureSnapshot.createMany({ data: rows, skipDuplicates: true });
}
