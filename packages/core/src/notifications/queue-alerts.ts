import { type Queue } from "bullmq";
import { enqueue } from "../jobs/registry.ts";
import { MAX_CANDIDATES_PER_JOB, notifyRouteJob } from "./jobs.ts";
import { type AlertCandidate } from "./types.ts";

/**
 * Hands alert candidates to the worker (job notify.route). Cheap and channel-free, so ingestion and
 * admission call it inline: claiming, routing and sending all happen in the worker. Repeated
 * candidates of one finding collapse here and, across jobs, in the claim.
 */
export async function enqueueAlerts(queue: Queue, orgId: string, candidates: AlertCandidate[]): Promise<void> {
  const first = new Map<string, AlertCandidate>();
  for (const c of candidates) if (!first.has(c.findingId)) first.set(c.findingId, c);
  const unique = [...first.values()];
  for (let i = 0; i < unique.length; i += MAX_CANDIDATES_PER_JOB) {
    await enqueue(queue, notifyRouteJob, { orgId, candidates: unique.slice(i, i + MAX_CANDIDATES_PER_JOB) });
  }
}
