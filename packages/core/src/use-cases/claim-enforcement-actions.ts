import { type Db, type EnforcementAction } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { CLAIM_TIMEOUT_MS, type ClaimedAction, findOwnPoint, pointNameSchema, toClaimed } from "../response/view.ts";

// An enforcement point takes the response actions waiting for its cluster (GET
// /api/v1/enforcement/actions). One UPDATE moves up to `limit` of them to CLAIMED under this point,
// skipping rows another point is claiming at the same moment, so two enforcers of one cluster never
// receive the same action. A claim left unanswered for five minutes is offered again: the enforcer
// that took it may have died before acting. With `wait`, an empty answer is held (long-poll) until an
// action arrives or the wait ends, so actions reach the cluster within about a second.

export const MAX_CLAIM_WAIT_SECONDS = 30;
const POLL_MS = 1000;

export const claimActionsQuerySchema = z.object({
  point: pointNameSchema,
  limit: z.coerce.number().int().min(1).max(50).default(10).meta({ description: "Most actions to claim (1–50)" }),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_CLAIM_WAIT_SECONDS)
    .default(0)
    .meta({ description: `Long-poll: with nothing to claim, wait up to this many seconds (≤ ${MAX_CLAIM_WAIT_SECONDS}) for an action` }),
});

export interface ClaimOptions {
  /** Ends a long-poll early (the client went away). */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ClaimedActions {
  enforcementPoint: { id: string; name: string };
  actions: ClaimedAction[];
}

const utc = (d: Date) => d.toISOString();

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

type ClaimedRow = Pick<EnforcementAction, "id" | "action" | "namespace" | "kind" | "name" | "pod" | "policyKey" | "reason" | "claimedAt" | "createdAt">;

async function claimOnce(db: Db, orgId: string, clusterId: string, pointId: string, limit: number, now: Date): Promise<ClaimedAction[]> {
  const stale = new Date(now.getTime() - CLAIM_TIMEOUT_MS);
  const rows = await db.$queryRaw<ClaimedRow[]>`
    UPDATE "EnforcementAction" a
    SET status = 'CLAIMED', "enforcementPointId" = ${pointId}, "claimedAt" = ${utc(now)}::timestamptz AT TIME ZONE 'UTC', "updatedAt" = ${utc(now)}::timestamptz AT TIME ZONE 'UTC'
    WHERE a.id IN (
      SELECT id FROM "EnforcementAction"
      WHERE "orgId" = ${orgId} AND "clusterId" = ${clusterId}
        AND (status = 'PENDING' OR (status = 'CLAIMED' AND "claimedAt" < ${utc(stale)}::timestamptz AT TIME ZONE 'UTC'))
      ORDER BY "createdAt", id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING a.id, a.action::text AS action, a.namespace, a.kind, a.name, a.pod, a."policyKey", a.reason, a."claimedAt", a."createdAt"`;
  // Oldest first, as they were asked for (RETURNING has no order).
  return rows.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : 1)).map(toClaimed);
}

export async function claimEnforcementActions(db: Db, ctx: OrgContext, input: unknown, opts: ClaimOptions = {}): Promise<ClaimedActions> {
  const parsed = claimActionsQuerySchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const point = await findOwnPoint(db, ctx, q.point);
  const enforcementPoint = { id: point.id, name: point.name };
  // A point not linked to a cluster yet (no inventory from its cluster) has nothing to act on.
  if (!point.clusterId) return { enforcementPoint, actions: [] };
  const clock = opts.now ?? (() => new Date());
  const deadline = Date.now() + q.wait * 1000;
  for (;;) {
    const actions = await claimOnce(db, ctx.orgId, point.clusterId, point.id, q.limit, clock());
    const left = deadline - Date.now();
    if (actions.length > 0 || left <= 0 || opts.signal?.aborted) return { enforcementPoint, actions };
    await sleep(Math.min(POLL_MS, left), opts.signal);
  }
}
