import { type Db, type Prisma } from "@bulwark/db";
import { type AlertCandidate } from "./types.ts";
import { type AlertPayload, ALERT_PAYLOAD_VERSION, loadAlertFindings, routable, toAlertFinding } from "./payload.ts";
import { matchesRouting, readRouting } from "./routing.ts";

// notify.route: which candidates become alerts, and on which channels. The claim is one conditional
// UPDATE of Finding.alertedAt: a finding alerts at most once per organization dedup window, whatever
// the number of reports, events or concurrent workers behind it (this is also the per-aggregate rate
// limit). Claim and delivery rows commit together, so a crash in between leaves the finding unclaimed.

export interface RouteOutcome {
  claimed: number;
  deliveries: number;
}

/** First reason wins per finding: a burst lists the same aggregate many times. */
function reasonsOf(candidates: AlertCandidate[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of candidates) if (!out.has(c.findingId)) out.set(c.findingId, c.reason);
  return out;
}

export async function claimAndRoute(db: Db, orgId: string, candidates: AlertCandidate[], dashboardUrl: string | null): Promise<RouteOutcome> {
  const reasons = reasonsOf(candidates);
  const channels = (await db.notificationChannel.findMany({ where: { orgId, enabled: true }, select: { id: true, routing: true } }))
    .map((c) => ({ id: c.id, routing: readRouting(c.routing) }))
    .filter((c) => c.routing !== null);
  // Without a channel nothing is sent, and nothing is claimed: a channel added later alerts at once.
  if (channels.length === 0 || reasons.size === 0) return { claimed: 0, deliveries: 0 };
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { slug: true, name: true } });
  if (!org) return { claimed: 0, deliveries: 0 };

  return db.$transaction(async (tx) => {
    // Timestamps are UTC wall-clock (Prisma's timestamp(3)); only OPEN findings alert (not suppressed, not resolved since).
    const claimed = await tx.$queryRaw<Array<{ id: string }>>`
      UPDATE "Finding" f SET "alertedAt" = now() AT TIME ZONE 'UTC'
      FROM "Organization" o
      WHERE o.id = ${orgId} AND f."orgId" = o.id AND f.id = ANY(${[...reasons.keys()]}::text[]) AND f.status = 'OPEN'
        AND (f."alertedAt" IS NULL OR f."alertedAt" <= (now() AT TIME ZONE 'UTC') - make_interval(mins => o."alertDedupMinutes"))
      RETURNING f.id`;
    if (claimed.length === 0) return { claimed: 0, deliveries: 0 };
    const rows = await loadAlertFindings(tx, orgId, claimed.map((c) => c.id));
    const data: Prisma.NotificationDeliveryCreateManyInput[] = [];
    for (const row of rows) {
      const finding = toAlertFinding(row, dashboardUrl);
      const reason = reasons.get(row.id) ?? "created";
      const payload: AlertPayload = { version: ALERT_PAYLOAD_VERSION, kind: "alert", reason, organization: org, finding };
      for (const ch of channels) {
        if (!matchesRouting(ch.routing!, routable(finding))) continue;
        data.push({ orgId, channelId: ch.id, findingId: row.id, kind: "alert", reason, payload: payload as unknown as Prisma.InputJsonValue });
      }
    }
    if (data.length > 0) await tx.notificationDelivery.createMany({ data });
    return { claimed: claimed.length, deliveries: data.length };
  });
}

/**
 * Alert deliveries of these findings that were never attempted. Enqueued with a job id per delivery,
 * so asking again (a retried notify.route whose rows committed before the enqueue failed) queues
 * nothing twice.
 */
export async function unsentAlertDeliveries(db: Db, orgId: string, findingIds: string[]): Promise<string[]> {
  if (findingIds.length === 0) return [];
  const rows = await db.notificationDelivery.findMany({
    where: { orgId, findingId: { in: findingIds }, kind: "alert", status: "PENDING", attempts: 0, createdAt: { gte: new Date(Date.now() - 24 * 3600_000) } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
