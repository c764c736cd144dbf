import { isAppError, listFixLeverage, listScanRuns, requireReader, type FixLeverage, type OrgContext } from "@bulwark/core";
import type { ScanRun } from "@bulwark/db";
import { notFound } from "next/navigation";
import { parseRiskFactors, type RiskFactorView } from "../../../components/vulnerabilities/risk.ts";
import type { ScanRunItem, ScanRunStatus } from "../../../components/vulnerabilities/scan-run.ts";
import { db } from "../../../server/db.ts";
import { logger } from "../../../server/logger.ts";

// Reads of the vulnerability pages that have no use case of their own (they are views of rows other
// use cases maintain). Each one is scoped by the caller's organization.

export interface RiskyWorkload {
  id: string;
  kind: string;
  name: string;
  cluster: string;
  namespace: string;
  riskScore: number;
  factors: RiskFactorView[];
}

/** The ten live workloads with the highest risk score (scores are written by the worker's risk refresh). */
export async function riskiestWorkloads(ctx: OrgContext, take = 10): Promise<RiskyWorkload[]> {
  requireReader(ctx);
  const rows = await db().workload.findMany({
    where: { orgId: ctx.orgId, deleted: false, riskScore: { gt: 0 } },
    orderBy: [{ riskScore: "desc" }, { name: "asc" }],
    take,
    select: { id: true, kind: true, name: true, riskScore: true, riskFactors: true, cluster: { select: { name: true } }, namespace: { select: { name: true } } },
  });
  return rows.map((w) => ({ id: w.id, kind: w.kind, name: w.name, cluster: w.cluster.name, namespace: w.namespace.name, riskScore: w.riskScore, factors: parseRiskFactors(w.riskFactors) }));
}

/**
 * "Fix first", or null when it could not be computed: it is the heaviest query of the page, and the
 * other sections are still worth seeing when it fails (the failure is logged with its cause).
 */
export async function fixLeverageOrNull(ctx: OrgContext, input: { kind: "package" | "image"; cluster?: string; limit: number }): Promise<FixLeverage[] | null> {
  try {
    return await listFixLeverage(db(), ctx, input);
  } catch (err) {
    if (isAppError(err) && err.status < 500) throw err;
    logger().error({ err }, "vulnerabilities page: could not compute fix leverage");
    return null;
  }
}

export interface ClusterOption {
  id: string;
  name: string;
}

/** The organization's clusters with their ids, for the "rescan one cluster" picker. */
export async function orgClusters(ctx: OrgContext): Promise<ClusterOption[]> {
  requireReader(ctx);
  return db().cluster.findMany({ where: { orgId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true }, take: 500 });
}

export interface ImageOption {
  id: string;
  reference: string;
  digest: string;
  tags: string[];
  lastScannedAt: string | null;
}

export const IMAGE_SEARCH_LIMIT = 20;

/** Images whose registry/repository contains `q` (case-insensitive), most recently seen first. */
export async function searchImages(ctx: OrgContext, q: string): Promise<ImageOption[]> {
  requireReader(ctx);
  const term = q.trim().slice(0, 200);
  if (term === "") return [];
  // "ghcr.io/acme/api" is stored as host + repository: match either part, or the host prefix of a full reference.
  const slash = term.indexOf("/");
  const hostAndRepo = slash > 0 ? { registryHost: { equals: term.slice(0, slash), mode: "insensitive" as const }, repository: { contains: term.slice(slash + 1), mode: "insensitive" as const } } : null;
  const rows = await db().image.findMany({
    where: {
      orgId: ctx.orgId,
      OR: [{ repository: { contains: term, mode: "insensitive" } }, { registryHost: { contains: term, mode: "insensitive" } }, ...(hostAndRepo ? [hostAndRepo] : []), ...(term.startsWith("sha256:") ? [{ digest: { startsWith: term } }] : [])],
    },
    orderBy: [{ lastSeen: "desc" }, { id: "asc" }],
    take: IMAGE_SEARCH_LIMIT,
    select: { id: true, registryHost: true, repository: true, digest: true, tags: true, lastScannedAt: true },
  });
  return rows.map((i) => ({ id: i.id, reference: `${i.registryHost}/${i.repository}`, digest: i.digest, tags: i.tags, lastScannedAt: i.lastScannedAt?.toISOString() ?? null }));
}

/** The latest runs with the cluster or image each targeted run covers, in words. */
export async function recentScanRuns(ctx: OrgContext, limit = 10): Promise<ScanRunItem[]> {
  const runs = await listScanRuns(db(), ctx, { limit });
  const clusterIds = runs.filter((r) => r.kind === "CLUSTER" && r.targetId).map((r) => r.targetId!);
  const imageIds = runs.filter((r) => r.kind === "IMAGE" && r.targetId).map((r) => r.targetId!);
  const [clusters, images] = await Promise.all([
    clusterIds.length ? db().cluster.findMany({ where: { orgId: ctx.orgId, id: { in: clusterIds } }, select: { id: true, name: true } }) : [],
    imageIds.length ? db().image.findMany({ where: { orgId: ctx.orgId, id: { in: imageIds } }, select: { id: true, registryHost: true, repository: true, tags: true, digest: true } }) : [],
  ]);
  const labels = new Map<string, string>([
    ...clusters.map((c) => [c.id, c.name] as [string, string]),
    ...images.map((i) => [i.id, `${i.registryHost}/${i.repository}${i.tags[0] ? `:${i.tags[0]}` : `@${i.digest.slice(0, 19)}`}`] as [string, string]),
  ]);
  return runs.map((r) => toScanRunItem(r, r.targetId ? (labels.get(r.targetId) ?? null) : null));
}

export function toScanRunItem(r: ScanRun, targetLabel: string | null): ScanRunItem {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as ScanRunStatus,
    trigger: r.trigger,
    targetLabel,
    total: r.total,
    done: r.done,
    stats: r.stats,
    error: r.error,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Ecosystems named by stored advisories, for the advisory filter's suggestions. */
export async function advisoryEcosystems(): Promise<string[]> {
  const rows = await db().advisoryPackage.findMany({ distinct: ["ecosystem"], select: { ecosystem: true }, orderBy: { ecosystem: "asc" }, take: 300 });
  return rows.map((r) => r.ecosystem);
}

/** A use case's NOT_FOUND as the page's 404. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  }
}
