import { type BaselineStatus, type Db, type DbTx, type Prisma } from "@bulwark/db";
import { AppError } from "../errors.ts";

// Process baselines as the API and UI see them, and the names anomaly findings are recognised by.

/** Anomaly findings: one per (workload, container, process) outside a locked baseline. */
export const BASELINE_SOURCE = "bulwark-baseline";
export const BASELINE_RULE = "process-baseline-anomaly";
/**
 * Processes one baseline holds at most. A container that runs thousands of distinct binaries (a build
 * or CI runner) has no useful baseline; the cap keeps such a row and every ingest that reads it small.
 */
export const MAX_BASELINE_PROCESSES = 1_000;

export interface BaselineView {
  id: string;
  workload: { id: string; name: string; kind: string; namespace: string; cluster: string };
  /** Container name ("" when the events named none). */
  container: string;
  status: BaselineStatus;
  processes: string[];
  learningEndsAt: Date;
  lockedAt: Date | null;
  /** Who locked it by hand (their e-mail); null when the learning window ran out or it is learning. */
  lockedBy: string | null;
  /** OPEN anomaly findings this baseline raised. */
  openAnomalies: number;
}

export const BASELINE_SELECT = {
  id: true,
  container: true,
  status: true,
  processes: true,
  learningEndsAt: true,
  lockedAt: true,
  lockedById: true,
  workload: { select: { id: true, name: true, kind: true, namespace: { select: { name: true } }, cluster: { select: { name: true } } } },
} as const satisfies Prisma.ProcessBaselineSelect;

export type BaselineRow = Prisma.ProcessBaselineGetPayload<{ select: typeof BASELINE_SELECT }>;

/** The baseline of the organization, or 404 (another organization's id is indistinguishable from none). */
export async function loadBaseline(db: Db | DbTx, orgId: string, id: unknown): Promise<BaselineRow> {
  const row = typeof id === "string" && id.length <= 100 ? await db.processBaseline.findFirst({ where: { id, orgId }, select: BASELINE_SELECT }) : null;
  if (!row) throw AppError.notFound("Process baseline");
  return row;
}

/** Views for rows of one organization: two reads whatever the number of rows (lockers, anomaly counts). */
export async function toBaselineViews(db: Db | DbTx, orgId: string, rows: readonly BaselineRow[]): Promise<BaselineView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const lockerIds = [...new Set(rows.map((r) => r.lockedById).filter((v): v is string => v !== null))];
  const [lockers, counts] = await Promise.all([
    lockerIds.length ? db.user.findMany({ where: { id: { in: lockerIds } }, select: { id: true, email: true } }) : [],
    // (orgId, ruleId) index: only the organization's anomaly findings are read.
    db.$queryRaw<Array<{ baselineId: string; n: bigint }>>`
      SELECT evidence->>'baselineId' AS "baselineId", count(*) AS n FROM "Finding"
      WHERE "orgId" = ${orgId} AND "ruleId" = ${BASELINE_RULE} AND source = ${BASELINE_SOURCE} AND status = 'OPEN'
        AND evidence->>'baselineId' = ANY(${ids}::text[])
      GROUP BY 1`,
  ]);
  const email = new Map(lockers.map((u) => [u.id, u.email]));
  const open = new Map(counts.map((c) => [c.baselineId, Number(c.n)]));
  return rows.map((r) => ({
    id: r.id,
    workload: { id: r.workload.id, name: r.workload.name, kind: r.workload.kind, namespace: r.workload.namespace.name, cluster: r.workload.cluster.name },
    container: r.container,
    status: r.status,
    processes: [...r.processes].sort(),
    learningEndsAt: r.learningEndsAt,
    lockedAt: r.lockedAt,
    lockedBy: r.lockedById ? (email.get(r.lockedById) ?? null) : null,
    openAnomalies: open.get(r.id) ?? 0,
  }));
}

export async function toBaselineView(db: Db | DbTx, orgId: string, row: BaselineRow): Promise<BaselineView> {
  return (await toBaselineViews(db, orgId, [row]))[0]!;
}

/** The anomaly findings of one baseline (of one process when given), any status: callers add theirs. */
export function anomalyWhere(orgId: string, baselineId: string, process?: string): Prisma.FindingWhereInput {
  return {
    orgId,
    ruleId: BASELINE_RULE,
    source: BASELINE_SOURCE,
    AND: [{ evidence: { path: ["baselineId"], equals: baselineId } }, ...(process !== undefined ? [{ evidence: { path: ["process"], equals: process } }] : [])],
  };
}
