import { type Db, type EnforcementAction, type Prisma } from "@bulwark/db";
import { writeSystemAudit } from "../audit.ts";
import { type ResponseRequest, targetKey } from "./targets.ts";

// Requests become EnforcementAction rows exactly once per target: while an action for the same policy
// and target is pending or claimed nothing new is queued, and after one ended (done, failed, skipped or
// cancelled) the target rests for an hour, so a workload that still violates after being scaled to zero
// (inventory lags, or the action failed) is not hit again on every evaluation. Concurrent workers
// (posture evaluation and runtime findings of the same organization) take a transaction-scoped
// advisory lock per organization, so "look, then insert" cannot race into duplicates.

export const RESPONSE_COOLDOWN_MS = 3_600_000;
/**
 * New actions per call. A policy switched to ENFORCE with a response over a large estate would
 * otherwise scale hundreds of workloads in one pass; the rest follow on later passes (each evaluation
 * or runtime report calls again), which leaves an admin time to cancel.
 */
export const MAX_NEW_ACTIONS_PER_CALL = 200;
const SYSTEM_LABEL = "Bulwark runtime response";

export interface CreatedActions {
  created: EnforcementAction[];
  /** Requests left out: same target pending/claimed, cooling down, or repeated in the call. */
  duplicates: number;
  /** Requests left for a later pass (over MAX_NEW_ACTIONS_PER_CALL). */
  deferred: number;
}

export async function createResponseActions(db: Db, orgId: string, requests: readonly ResponseRequest[], now = new Date()): Promise<CreatedActions> {
  if (requests.length === 0) return { created: [], duplicates: 0, deferred: 0 };
  const clusterIds = [...new Set(requests.map((r) => r.clusterId))];
  const policyKeys = [...new Set(requests.map((r) => r.policyKey))];
  const cutoff = new Date(now.getTime() - RESPONSE_COOLDOWN_MS);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${`bulwark:response:${orgId}`}))) l`;
    const blocking = await tx.enforcementAction.findMany({
      where: {
        orgId,
        clusterId: { in: clusterIds },
        policyKey: { in: policyKeys },
        OR: [{ status: { in: ["PENDING", "CLAIMED"] } }, { completedAt: { gt: cutoff } }],
      },
      select: { policyKey: true, clusterId: true, namespace: true, kind: true, name: true, pod: true },
    });
    const taken = new Set(blocking.map(targetKey));
    const fresh: ResponseRequest[] = [];
    let duplicates = 0;
    for (const r of requests) {
      const key = targetKey(r);
      if (taken.has(key)) {
        duplicates++;
        continue;
      }
      taken.add(key);
      fresh.push(r);
    }
    const batch = fresh.slice(0, MAX_NEW_ACTIONS_PER_CALL);
    const created: EnforcementAction[] = [];
    for (const r of batch) {
      const row = await tx.enforcementAction.create({
        data: {
          orgId,
          clusterId: r.clusterId,
          policyKey: r.policyKey,
          findingId: r.findingId,
          workloadId: r.workloadId,
          action: r.action,
          namespace: r.namespace,
          kind: r.kind,
          name: r.name,
          pod: r.pod,
          reason: r.reason,
          createdAt: now,
        },
      });
      await writeSystemAudit(tx, orgId, SYSTEM_LABEL, {
        action: "response.request",
        targetType: "enforcement-action",
        targetId: row.id,
        metadata: {
          policy: r.policyKey,
          action: r.action,
          clusterId: r.clusterId,
          namespace: r.namespace,
          kind: r.kind,
          name: r.name,
          pod: r.pod,
          findingId: r.findingId,
          reason: r.reason,
        } satisfies Prisma.InputJsonObject,
      });
      created.push(row);
    }
    return { created, duplicates, deferred: fresh.length - batch.length };
  }, { timeout: 30_000 });
}
