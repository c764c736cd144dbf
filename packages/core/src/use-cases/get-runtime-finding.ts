import { type Db, plainSql } from "@bulwark/db";
import { parseImageReference } from "@bulwark/policy";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { stateOf } from "../exceptions/view.ts";
import { evidenceText, type RuntimeFindingItem, type RuntimeRow, toRuntimeItem } from "../runtime-findings/view.ts";

/** Pods and containers listed per aggregate: the busiest ones, enough to see where a rule fires. */
export const MAX_EVENT_GROUPS = 20;

export interface EventGroup {
  /** Pod or container name; null for events that named none. */
  name: string | null;
  events: number;
}

export interface RuntimeFindingDetail extends RuntimeFindingItem {
  description: string | null;
  resolvedAt: Date | null;
  /** The workload, when resolved; deleted: gone from the cluster since. */
  workloadDeleted: boolean;
  hostname: string | null;
  /** registry/repository of the image, as exception scopes name it (null when the events named no image). */
  imageRepository: string | null;
  /** Baseline anomalies: the baseline that flagged the process. */
  baselineId: string | null;
  evidence: unknown;
  exception: { id: string; kind: string; status: string; state: string; reason: string; expiresAt: Date | null } | null;
  /** Stored events behind the aggregate, and how they spread over pods and containers. */
  eventCount: number;
  byPod: EventGroup[];
  byContainer: EventGroup[];
}

/** "registry/repository" of an image reference; aggregates stored before evidence carried it derive it from the image. */
function repositoryOf(image: string | null): string | null {
  const parsed = image ? parseImageReference(image) : null;
  return parsed?.ok ? `${parsed.ref.registry}/${parsed.ref.repository}` : null;
}

/**
 * One runtime aggregate (any member, or a "read" token) with its exception and the spread of its stored
 * events by pod and container. Another organization's id, or a finding that is not a runtime one, is a 404.
 */
export async function getRuntimeFinding(db: Db, ctx: OrgContext, id: string): Promise<RuntimeFindingDetail> {
  requireReader(ctx);
  const found =
    typeof id === "string" && id.length <= 100
      ? await db.finding.findFirst({
          where: { id, orgId: ctx.orgId, type: "RUNTIME" },
          include: {
            cluster: { select: { name: true } },
            namespace: { select: { name: true } },
            workload: { select: { name: true, kind: true, deleted: true } },
            exception: { select: { id: true, kind: true, status: true, reason: true, expiresAt: true, expiredAt: true, approvedAt: true, closedAt: true } },
          },
        })
      : null;
  if (!found) throw AppError.notFound("Runtime finding");
  // (findingId) index: the aggregate's own events only.
  const groups = await plainSql(db).$queryRaw<{ kind: "pod" | "container" | "all"; name: string | null; n: bigint }[]>`
    SELECT CASE WHEN GROUPING(pod) = 0 THEN 'pod' WHEN GROUPING(container) = 0 THEN 'container' ELSE 'all' END AS kind,
      COALESCE(pod, container) AS name, count(*)::int8 AS n
    FROM "RuntimeEvent" WHERE "findingId" = ${found.id} AND "orgId" = ${ctx.orgId}
    GROUP BY GROUPING SETS ((pod), (container), ())`;
  const top = (kind: "pod" | "container") =>
    groups
      .filter((g) => g.kind === kind)
      .map((g) => ({ name: g.name, events: Number(g.n) }))
      .sort((a, b) => b.events - a.events || String(a.name).localeCompare(String(b.name)))
      .slice(0, MAX_EVENT_GROUPS);
  const row: RuntimeRow = {
    ...found,
    clusterName: found.cluster?.name ?? null,
    namespaceName: found.namespace?.name ?? null,
    workloadName: found.workload?.name ?? null,
    workloadKind: found.workload?.kind ?? null,
  };
  const ex = found.exception;
  return {
    ...toRuntimeItem(row),
    description: found.description,
    resolvedAt: found.resolvedAt,
    workloadDeleted: found.workload?.deleted ?? false,
    hostname: evidenceText(found.evidence, "hostname"),
    imageRepository: evidenceText(found.evidence, "imageRepository") ?? repositoryOf(evidenceText(found.evidence, "image")),
    baselineId: evidenceText(found.evidence, "baselineId"),
    evidence: found.evidence,
    exception: ex ? { id: ex.id, kind: ex.kind, status: ex.status, state: stateOf(ex), reason: ex.reason, expiresAt: ex.expiresAt } : null,
    eventCount: Number(groups.find((g) => g.kind === "all")?.n ?? 0),
    byPod: top("pod"),
    byContainer: top("container"),
  };
}
