import { type ActionStatus, type Db, type EnforcementAction, type ResponseAction } from "@bulwark/db";
import { z } from "zod";
import { admissionNameSchema, requireEnforcementToken } from "../admission/context.ts";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";

// What the response use cases share: the enforcement point a token speaks for, and the two views of
// an action (the enforcer's work order, the dashboard's record).

export const ACTION_STATUSES = ["PENDING", "CLAIMED", "SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED"] as const satisfies readonly ActionStatus[];
export const RESULT_STATUSES = ["SUCCEEDED", "FAILED", "SKIPPED"] as const satisfies readonly ActionStatus[];
/** A claim not answered within this long is offered again (the claiming enforcer may have died). */
export const CLAIM_TIMEOUT_MS = 5 * 60_000;

export const pointNameSchema = admissionNameSchema.meta({ description: "The enforcement point's name, as its heartbeats send it", example: "prod-eu-1-enforcer" });

export interface OwnPoint {
  id: string;
  name: string;
  clusterId: string | null;
}

/**
 * The enforcement point `name` of the caller's organization, when the calling token is the one it
 * heartbeats with (and, for a cluster-bound token, in that cluster). Anything else is a 404: a token
 * cannot take another point's (or another cluster's) actions by naming it.
 */
export async function findOwnPoint(db: Db, ctx: OrgContext, name: string): Promise<OwnPoint> {
  const actor = requireEnforcementToken(ctx);
  const point = await db.enforcementPoint.findUnique({ where: { orgId_name: { orgId: ctx.orgId, name } }, select: { id: true, name: true, clusterId: true, tokenId: true } });
  if (!point || point.tokenId !== actor.tokenId || (actor.clusterId && point.clusterId !== actor.clusterId)) {
    throw new AppError("NOT_FOUND", `Enforcement point ${name} not found for this token (it is created by its first heartbeat)`);
  }
  return { id: point.id, name: point.name, clusterId: point.clusterId };
}

/** An action as the enforcer receives it: what to do to which object. */
export interface ClaimedAction {
  id: string;
  action: ResponseAction;
  namespace: string;
  kind: string;
  name: string;
  pod: string | null;
  policy: string;
  reason: string;
  claimedAt: Date;
}

export function toClaimed(a: Pick<EnforcementAction, "id" | "action" | "namespace" | "kind" | "name" | "pod" | "policyKey" | "reason" | "claimedAt">): ClaimedAction {
  return { id: a.id, action: a.action, namespace: a.namespace, kind: a.kind, name: a.name, pod: a.pod, policy: a.policyKey, reason: a.reason, claimedAt: a.claimedAt ?? new Date() };
}

/** An action as the dashboard and API readers see it. */
export interface ResponseActionView {
  id: string;
  action: ResponseAction;
  status: ActionStatus;
  cluster: { id: string; name: string };
  namespace: string;
  kind: string;
  name: string;
  pod: string | null;
  policyKey: string;
  reason: string;
  result: string | null;
  finding: { id: string; title: string } | null;
  workloadId: string | null;
  enforcementPoint: { id: string; name: string } | null;
  createdAt: Date;
  claimedAt: Date | null;
  completedAt: Date | null;
}

export const VIEW_SELECT = {
  id: true,
  action: true,
  status: true,
  namespace: true,
  kind: true,
  name: true,
  pod: true,
  policyKey: true,
  reason: true,
  result: true,
  workloadId: true,
  enforcementPointId: true,
  createdAt: true,
  claimedAt: true,
  completedAt: true,
  cluster: { select: { id: true, name: true } },
  finding: { select: { id: true, title: true } },
} as const;

type ViewRow = Pick<EnforcementAction, "id" | "action" | "status" | "namespace" | "kind" | "name" | "pod" | "policyKey" | "reason" | "result" | "workloadId" | "enforcementPointId" | "createdAt" | "claimedAt" | "completedAt"> & {
  cluster: { id: string; name: string };
  finding: { id: string; title: string } | null;
};

/** Views of rows; enforcement point names are looked up in one query (the column has no relation). */
export async function toViews(db: Db, orgId: string, rows: readonly ViewRow[]): Promise<ResponseActionView[]> {
  const pointIds = [...new Set(rows.flatMap((r) => (r.enforcementPointId ? [r.enforcementPointId] : [])))];
  const points = pointIds.length ? await db.enforcementPoint.findMany({ where: { orgId, id: { in: pointIds } }, select: { id: true, name: true } }) : [];
  const byId = new Map(points.map((p) => [p.id, p]));
  return rows.map(({ enforcementPointId, ...r }) => ({ ...r, enforcementPoint: enforcementPointId ? (byId.get(enforcementPointId) ?? null) : null }));
}

export const resultSchema = z.strictObject({
  enforcementPoint: pointNameSchema,
  status: z.enum(RESULT_STATUSES).meta({ description: "SUCCEEDED: done; FAILED: the Kubernetes API refused or failed; SKIPPED: not configured to act, or the target no longer exists" }),
  message: z.string().max(2000).optional().meta({ example: "scaled deployments shop/web to 0 replicas" }),
});
