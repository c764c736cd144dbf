import { type Db, type FindingType, plainSql, type Severity } from "@bulwark/db";
import { z } from "zod";
import { readBundleSettings } from "../bundles/content.ts";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { cursorSchema, pageLimitSchema, searchSchema, withoutEmpty } from "../inventory/page.ts";
import { emptyCounts, type SeverityCounts } from "../inventory/tally.ts";
import { SEVERITIES } from "../posture-score.ts";

export const imageDetailSchema = z.object({
  packageQ: searchSchema.meta({ description: "Part of a package name" }),
  packageCursor: cursorSchema.meta({ description: "nextCursor of the packages page" }),
  packageLimit: pageLimitSchema,
});

/** Workloads listed under "where it runs"; the count is always exact. */
export const IMAGE_RUNS_SHOWN = 100;

/** True when `ref` (registry host and repository) is under one of the trusted prefixes. */
export function isTrustedRef(ref: string, trusted: readonly string[]): boolean {
  return trusted.some((t) => ref === t || ref.startsWith(`${t.replace(/\/+$/, "")}/`));
}

/**
 * An image with its packages (paged by name), open findings by severity and fixability (from the
 * tally), where it runs and whether its registry is trusted. Any member, or a `read` token; another
 * organization's id is a 404.
 */
export async function getImageDetail(db: Db, ctx: OrgContext, id: string, input: unknown = {}) {
  requireReader(ctx);
  const parsed = imageDetailSchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const image = await db.image.findFirst({ where: { id, orgId: ctx.orgId }, include: { registry: { select: { id: true, name: true, host: true, trusted: true, lastReportAt: true } } } });
  if (!image) throw AppError.notFound("Image");
  if (q.packageCursor && !(await db.imagePackage.findFirst({ where: { id: q.packageCursor, imageId: image.id }, select: { id: true } }))) {
    throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "packageCursor", message: "Unknown cursor" }] });
  }
  const pkgWhere = { imageId: image.id, ...(q.packageQ ? { name: { contains: q.packageQ, mode: "insensitive" as const } } : {}) };
  const [packages, packageCount, tally, containers, settings] = await Promise.all([
    db.imagePackage.findMany({
      where: pkgWhere,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: q.packageLimit + 1,
      ...(q.packageCursor ? { cursor: { id: q.packageCursor }, skip: 1 } : {}),
      select: { id: true, ecosystem: true, name: true, version: true, purl: true, license: true, srcName: true, srcVersion: true },
    }),
    db.imagePackage.count({ where: pkgWhere }),
    db.findingTally.findMany({ where: { orgId: ctx.orgId, imageId: image.id, n: { gt: 0 } }, select: { type: true, severity: true, fixable: true, n: true } }),
    // One join: Prisma's nested select would load workloads, namespaces and clusters one query after another.
    plainSql(db).$queryRaw<Array<{ name: string; workloadId: string; kind: string; workload: string; namespace: string; clusterId: string; cluster: string }>>`
      SELECT k.name, w.id AS "workloadId", w.kind, w.name AS workload, n.name AS namespace, c.id AS "clusterId", c.name AS cluster
      FROM "Container" k JOIN "Workload" w ON w.id = k."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId" JOIN "Cluster" c ON c.id = w."clusterId"
      WHERE k."orgId" = ${ctx.orgId} AND k."imageId" = ${image.id} AND NOT w.deleted`,
    readBundleSettings(db, ctx.orgId),
  ]);
  const openFindings: SeverityCounts = emptyCounts();
  const fixable: SeverityCounts = emptyCounts();
  const byType: Partial<Record<FindingType, number>> = {};
  for (const t of tally) {
    openFindings[t.severity as Severity] += t.n;
    openFindings.total += t.n;
    if (t.fixable) {
      fixable[t.severity as Severity] += t.n;
      fixable.total += t.n;
    }
    byType[t.type] = (byType[t.type] ?? 0) + t.n;
  }
  const workloads = new Map<string, { id: string; kind: string; name: string; namespace: string; cluster: { id: string; name: string }; containers: string[] }>();
  for (const c of containers) {
    const entry = workloads.get(c.workloadId) ?? { id: c.workloadId, kind: c.kind, name: c.workload, namespace: c.namespace, cluster: { id: c.clusterId, name: c.cluster }, containers: [] };
    entry.containers.push(c.name);
    workloads.set(c.workloadId, entry);
  }
  const clusters = new Map<string, { id: string; name: string; workloads: number }>();
  for (const w of workloads.values()) {
    const c = clusters.get(w.cluster.id) ?? { ...w.cluster, workloads: 0 };
    c.workloads++;
    clusters.set(c.id, c);
  }
  const ref = `${image.registryHost}/${image.repository}`;
  const page = packages.slice(0, q.packageLimit);
  return {
    ...image,
    ref,
    trust: {
      registry: image.registry,
      trustedRegistries: settings.trustedRegistries,
      /** null when the organization trusts no registry yet (the trusted-registry policy has nothing to check). */
      trusted: settings.trustedRegistries.length === 0 ? null : isTrustedRef(ref, settings.trustedRegistries),
    },
    openFindings,
    fixableFindings: fixable,
    findingsByType: byType,
    severities: SEVERITIES,
    packages: { items: page, total: packageCount, nextCursor: packages.length > q.packageLimit ? (page.at(-1)?.id ?? null) : null },
    runsIn: {
      workloadCount: workloads.size,
      workloads: [...workloads.values()].sort((a, b) => a.cluster.name.localeCompare(b.cluster.name) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)).slice(0, IMAGE_RUNS_SHOWN),
      clusters: [...clusters.values()].sort((a, b) => a.name.localeCompare(b.name)),
    },
  };
}

export type ImageDetail = Awaited<ReturnType<typeof getImageDetail>>;
