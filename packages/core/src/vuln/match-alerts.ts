import { type Queue } from "bullmq";
import { type Db } from "@bulwark/db";
import { enqueueAlerts } from "../notifications/queue-alerts.ts";
import { type AlertCandidate } from "../notifications/types.ts";
import { MAX_INGEST_ALERTS } from "../use-cases/ingest-trivy.ts";
import { type OnOpened } from "./run-scan.ts";

/**
 * The alerting hook of a re-match run: a critical vulnerability the advisory feed newly finds in a
 * stored image (a new or re-scored advisory, or a package list just ingested) is worth a page exactly
 * as one a scan reports is. Lower severities stay on the dashboard; a match an approved exception
 * covers is already SUPPRESSED and never alerts. At most MAX_INGEST_ALERTS per organization per job,
 * so the first full re-match of a big estate, or an advisory hitting every image, is not thousands of
 * messages: the dashboard shows the rest.
 */
export function alertOnMatch(db: Db, queue: Queue): OnOpened {
  const left = new Map<string, number>();
  return async (orgId, opened) => {
    const budget = left.get(orgId) ?? MAX_INGEST_ALERTS;
    if (budget <= 0 || opened.length === 0) return;
    // One array parameter: a chunk of a first full re-match can open tens of thousands of findings.
    const worthy = await db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "Finding"
      WHERE "orgId" = ${orgId} AND id = ANY(${opened.map((c) => c.findingId)}::text[])
        AND type = 'VULNERABILITY' AND severity = 'CRITICAL' AND status = 'OPEN'
      ORDER BY id LIMIT ${budget}`;
    if (worthy.length === 0) return;
    left.set(orgId, budget - worthy.length);
    const reasons = new Map(opened.map((c) => [c.findingId, c.reason]));
    const candidates: AlertCandidate[] = worthy.map((f) => ({ findingId: f.id, reason: reasons.get(f.id) ?? "created" }));
    await enqueueAlerts(queue, orgId, candidates);
  };
}
