import { type Db, plainSql, type Severity } from "@bulwark/db";
import { isConnectorStale } from "../connectors/staleness.ts";

// The overview's lists: what to look at first (riskiest workloads, latest runtime alerts), whether
// the data can be trusted (connector health) and where the posture is heading (daily snapshots).

export interface TrendPoint {
  day: string;
  score: number;
  openBySeverity: Record<Severity, number>;
}

export interface RiskyWorkload {
  id: string;
  name: string;
  kind: string;
  namespace: string;
  cluster: string;
  riskScore: number;
  topFactor: string | null;
}

export interface RuntimeAlert {
  id: string;
  title: string;
  severity: Severity;
  ruleId: string;
  cluster: string | null;
  namespace: string | null;
  workloadId: string | null;
  workload: string | null;
  occurrences: number;
  lastSeen: Date;
}

export interface ConnectorHealth {
  kind: "cluster" | "registry";
  id: string;
  name: string;
  lastReportAt: Date | null;
  stale: boolean;
}

export const TREND_DAYS = 30;

export async function readTrend(db: Db, orgId: string, now: Date): Promise<TrendPoint[]> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (TREND_DAYS - 1)));
  const rows = await db.postureSnapshot.findMany({
    where: { orgId, day: { gte: since } },
    orderBy: { day: "asc" },
    select: { day: true, score: true, openBySeverity: true },
  });
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), score: r.score, openBySeverity: r.openBySeverity as Record<Severity, number> }));
}

export async function readRiskyWorkloads(db: Db, orgId: string, limit = 10): Promise<RiskyWorkload[]> {
  const rows = await plainSql(db).$queryRaw<Array<{ id: string; name: string; kind: string; namespace: string; cluster: string; riskScore: number; riskFactors: unknown }>>`
    SELECT w.id, w.name, w.kind, n.name AS namespace, c.name AS cluster, w."riskScore", w."riskFactors"
    FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId" JOIN "Cluster" c ON c.id = w."clusterId"
    WHERE w."orgId" = ${orgId} AND NOT w.deleted AND w."riskScore" > 0
    ORDER BY w."riskScore" DESC, w.name, w.id LIMIT ${limit}`;
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, namespace: r.namespace, cluster: r.cluster, riskScore: r.riskScore, topFactor: topFactor(r.riskFactors) }));
}

function topFactor(factors: unknown): string | null {
  if (!Array.isArray(factors)) return null;
  let best: { points: number; reason: string } | null = null;
  for (const f of factors as Array<{ points?: unknown; reason?: unknown }>) {
    if (typeof f?.points !== "number" || typeof f.reason !== "string") continue;
    if (!best || f.points > best.points) best = { points: f.points, reason: f.reason };
  }
  return best?.reason ?? null;
}

export async function readRuntimeAlerts(db: Db, orgId: string, limit = 8): Promise<RuntimeAlert[]> {
  // Runtime findings are aggregates (one row per rule and workload), so the latest rows are the latest alerts.
  const rows = await plainSql(db).$queryRaw<Array<Omit<RuntimeAlert, "lastSeen"> & { lastSeen: Date }>>`
    SELECT f.id, f.title, f.severity, f."ruleId", c.name AS cluster, n.name AS namespace, f."workloadId", w.name AS workload, f.occurrences, f."lastSeen"
    FROM "Finding" f
    LEFT JOIN "Cluster" c ON c.id = f."clusterId" LEFT JOIN "Namespace" n ON n.id = f."namespaceId" LEFT JOIN "Workload" w ON w.id = f."workloadId"
    WHERE f."orgId" = ${orgId} AND f.type = 'RUNTIME' AND f.status = 'OPEN'
    ORDER BY f."lastSeen" DESC, f.id LIMIT ${limit}`;
  return rows;
}

export async function readConnectorHealth(db: Db, orgId: string, now: Date): Promise<ConnectorHealth[]> {
  const [clusters, registries] = await Promise.all([
    db.cluster.findMany({ where: { orgId }, select: { id: true, name: true, lastReportAt: true }, orderBy: { name: "asc" } }),
    db.registry.findMany({ where: { orgId }, select: { id: true, name: true, lastReportAt: true }, orderBy: { name: "asc" } }),
  ]);
  const list: ConnectorHealth[] = [
    ...clusters.map((c) => ({ kind: "cluster" as const, ...c, stale: isConnectorStale(c.lastReportAt, now) })),
    ...registries.map((r) => ({ kind: "registry" as const, ...r, stale: isConnectorStale(r.lastReportAt, now) })),
  ];
  // Stale first: they are the ones to act on.
  return list.sort((a, b) => Number(b.stale) - Number(a.stale) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
