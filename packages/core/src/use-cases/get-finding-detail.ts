import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { stateOf } from "../exceptions/view.ts";

/** Audit actions written about one finding (triage); the history shows them beside lifecycle events. */
export const FINDING_AUDIT_ACTIONS = ["finding.exception-requested", "finding.false-positive", "finding.reopened"] as const;

/** Workloads listed as "where this image runs": enough to act on, bounded for images everywhere. */
export const MAX_RUNS_IN = 50;

export interface FindingHistoryEvent {
  at: Date;
  kind: "first-seen" | "last-seen" | "resolved" | "exception-requested" | "exception-approved" | "exception-expired" | "exception-closed" | "triage";
  label: string;
  actor?: string;
  detail?: string;
}

/**
 * A finding with everything its page shows (any member, or a "read" token; another organization's
 * id is a 404): evidence, remediation, the image/workload/cluster it concerns, where an image finding
 * runs (live workloads whose containers use the image), its exception and its history.
 */
export async function getFindingDetail(db: Db, ctx: OrgContext, id: string) {
  requireReader(ctx);
  const finding = await db.finding.findFirst({
    where: { id, orgId: ctx.orgId },
    include: {
      image: { select: { id: true, digest: true, registryHost: true, repository: true, tags: true, lastScannedAt: true } },
      workload: { select: { id: true, kind: true, name: true, deleted: true } },
      cluster: { select: { id: true, name: true } },
      namespace: { select: { id: true, name: true } },
      exception: { select: { id: true, kind: true, status: true, reason: true, expiresAt: true, expiredAt: true, approvedAt: true, closedAt: true, createdAt: true } },
    },
  });
  if (!finding) throw AppError.notFound("Finding");

  const [runsIn, runsInMore, audit] = await Promise.all([
    finding.imageId
      ? db.workload.findMany({
          where: { orgId: ctx.orgId, deleted: false, containers: { some: { imageId: finding.imageId } } },
          select: { id: true, kind: true, name: true, cluster: { select: { id: true, name: true } }, namespace: { select: { id: true, name: true } } },
          orderBy: [{ riskScore: "desc" }, { name: "asc" }, { id: "asc" }],
          take: MAX_RUNS_IN,
        })
      : Promise.resolve([]),
    finding.imageId ? db.workload.count({ where: { orgId: ctx.orgId, deleted: false, containers: { some: { imageId: finding.imageId } } } }) : Promise.resolve(0),
    db.auditLog.findMany({
      where: { orgId: ctx.orgId, action: { in: [...FINDING_AUDIT_ACTIONS] }, targetType: "finding", targetId: finding.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 100,
      select: { id: true, action: true, actorLabel: true, createdAt: true, metadata: true },
    }),
  ]);

  const history: FindingHistoryEvent[] = [{ at: finding.firstSeen, kind: "first-seen", label: "First seen" }];
  if (finding.lastSeen.getTime() !== finding.firstSeen.getTime()) history.push({ at: finding.lastSeen, kind: "last-seen", label: `Last seen (${finding.occurrences} reports)` });
  if (finding.resolvedAt) history.push({ at: finding.resolvedAt, kind: "resolved", label: "Resolved (no longer reported)" });
  const ex = finding.exception;
  if (ex) {
    history.push({ at: ex.createdAt, kind: "exception-requested", label: "Exception requested", detail: ex.reason });
    if (ex.approvedAt) history.push({ at: ex.approvedAt, kind: "exception-approved", label: "Exception approved: finding suppressed" });
    if (ex.expiredAt) history.push({ at: ex.expiredAt, kind: "exception-expired", label: "Exception expired: finding reopened" });
    if (ex.closedAt) history.push({ at: ex.closedAt, kind: "exception-closed", label: `Exception ${ex.status.toLowerCase()}` });
  }
  for (const a of audit) {
    const meta = (a.metadata ?? {}) as { reason?: unknown };
    history.push({
      at: a.createdAt,
      kind: "triage",
      label: a.action === "finding.reopened" ? "Reopened" : a.action === "finding.false-positive" ? "Marked false positive" : "Exception requested",
      actor: a.actorLabel,
      ...(typeof meta.reason === "string" ? { detail: meta.reason } : {}),
    });
  }
  history.sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    ...finding,
    exception: ex ? { ...ex, state: stateOf(ex) } : null,
    runsIn,
    runsInTotal: runsInMore,
    history,
  };
}

export type FindingDetail = Awaited<ReturnType<typeof getFindingDetail>>;
