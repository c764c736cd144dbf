import { type Db, plainSql } from "@bulwark/db";
import { compareVersions } from "@bulwark/vuln";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";

// "What do I fix first?": open fixable vulnerabilities grouped into upgrades. One upgrade of a package
// (to the lowest version that fixes every open finding of it) or of an image repository (to its newest
// scanned image, when that has fewer open findings) removes N findings across M workloads; the list is
// sorted by impact (critical first, then findings removed, then workloads).

export const listFixLeverageSchema = z.object({
  kind: z.enum(["package", "image"]).default("package"),
  cluster: z.string().min(1).max(253).optional().meta({ description: "Only findings on images running in this cluster" }),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

export interface FixLeverage {
  kind: "package" | "image";
  /** Package name, or image repository ("ghcr.io/acme/api"). */
  target: string;
  ecosystem: string | null;
  /** Installed versions (package) or running tags/digests (image) the upgrade replaces. */
  from: string[];
  /** Version (package) or tag/digest (image) to upgrade to. */
  to: string;
  findings: number;
  critical: number;
  high: number;
  images: number;
  workloads: number;
}

interface PackageGroup {
  packageName: string;
  ecosystem: string | null;
  packageVersion: string | null;
  fixedVersion: string;
  imageIds: string[];
  n: bigint;
  crit: bigint;
  high: bigint;
}

/** Scanners write several fixes as "1.2.3, 1.3.1" (one per branch): the lowest above the installed version applies. */
function fixFor(ecosystem: string | null, installed: string | null, fixed: string): string {
  const candidates = fixed.split(/\s*,\s*/).filter(Boolean);
  if (candidates.length <= 1 || !ecosystem || !installed) return candidates[0] ?? fixed;
  const safe = (a: string, b: string) => {
    try {
      return compareVersions(ecosystem, a, b);
    } catch {
      return a.localeCompare(b) as -1 | 0 | 1;
    }
  };
  const above = candidates.filter((c) => safe(c, installed) > 0).sort(safe);
  return above[0] ?? candidates.sort(safe).at(-1)!;
}

function maxVersion(ecosystem: string | null, versions: string[]): string {
  return versions.reduce((best, v) => {
    if (!ecosystem) return v > best ? v : best;
    try {
      return compareVersions(ecosystem, v, best) > 0 ? v : best;
    } catch {
      return v > best ? v : best;
    }
  });
}

export async function listFixLeverage(db: Db, ctx: OrgContext, input: unknown): Promise<FixLeverage[]> {
  requireReader(ctx);
  const parsed = listFixLeverageSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const q = parsed.data;
  const sql = plainSql(db);
  let clusterId: string | null = null;
  if (q.cluster) {
    const c = await db.cluster.findFirst({ where: { orgId: ctx.orgId, name: q.cluster }, select: { id: true } });
    if (!c) return [];
    clusterId = c.id;
  }
  // Which live workloads run each image (optionally in one cluster): the "across M workloads" part.
  const runs = await sql.$queryRaw<Array<{ imageId: string; workloadId: string }>>`
    SELECT DISTINCT c."imageId", c."workloadId" FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId"
    WHERE c."orgId" = ${ctx.orgId} AND c."imageId" IS NOT NULL AND NOT w.deleted AND (${clusterId}::text IS NULL OR w."clusterId" = ${clusterId})`;
  const workloadsOf = new Map<string, Set<string>>();
  for (const r of runs) {
    let set = workloadsOf.get(r.imageId);
    if (!set) workloadsOf.set(r.imageId, (set = new Set()));
    set.add(r.workloadId);
  }
  const countWorkloads = (imageIds: Iterable<string>) => {
    const all = new Set<string>();
    for (const id of imageIds) for (const w of workloadsOf.get(id) ?? []) all.add(w);
    return all.size;
  };
  const inScope = clusterId ? [...workloadsOf.keys()] : null;
  return q.kind === "package" ? packageLeverage(sql, ctx.orgId, inScope, countWorkloads, q.limit) : imageLeverage(sql, ctx.orgId, inScope, countWorkloads, q.limit);
}

type Sql = ReturnType<typeof plainSql>;

async function packageLeverage(sql: Sql, orgId: string, imageScope: string[] | null, countWorkloads: (ids: Iterable<string>) => number, limit: number): Promise<FixLeverage[]> {
  const groups = await sql.$queryRaw<PackageGroup[]>`
    SELECT "packageName", evidence->>'ecosystem' AS ecosystem, "packageVersion", "fixedVersion",
      array_agg(DISTINCT "imageId") AS "imageIds", count(*) AS n,
      count(*) FILTER (WHERE severity = 'CRITICAL') AS crit, count(*) FILTER (WHERE severity = 'HIGH') AS high
    FROM "Finding"
    WHERE "orgId" = ${orgId} AND type = 'VULNERABILITY' AND status = 'OPEN' AND fixable AND "packageName" IS NOT NULL
      AND "fixedVersion" IS NOT NULL AND "imageId" IS NOT NULL AND (${imageScope}::text[] IS NULL OR "imageId" = ANY(${imageScope}::text[]))
    GROUP BY 1, 2, 3, 4`;
  const byPackage = new Map<string, { name: string; ecosystem: string | null; from: Set<string>; fixes: string[]; images: Set<string>; n: number; crit: number; high: number }>();
  for (const g of groups) {
    const key = `${g.ecosystem ?? ""}\u001f${g.packageName}`;
    let agg = byPackage.get(key);
    if (!agg) byPackage.set(key, (agg = { name: g.packageName, ecosystem: g.ecosystem, from: new Set(), fixes: [], images: new Set(), n: 0, crit: 0, high: 0 }));
    if (g.packageVersion) agg.from.add(g.packageVersion);
    agg.fixes.push(fixFor(g.ecosystem, g.packageVersion, g.fixedVersion));
    for (const id of g.imageIds) agg.images.add(id);
    agg.n += Number(g.n);
    agg.crit += Number(g.crit);
    agg.high += Number(g.high);
  }
  return rank(
    [...byPackage.values()].map((a) => ({
      kind: "package" as const,
      target: a.name,
      ecosystem: a.ecosystem,
      from: [...a.from].sort().slice(0, 20),
      to: maxVersion(a.ecosystem, a.fixes),
      findings: a.n,
      critical: a.crit,
      high: a.high,
      images: a.images.size,
      workloads: countWorkloads(a.images),
    })),
    limit,
  );
}

async function imageLeverage(sql: Sql, orgId: string, imageScope: string[] | null, countWorkloads: (ids: Iterable<string>) => number, limit: number): Promise<FixLeverage[]> {
  // Per image: open findings; per repository: the most recently seen image is the upgrade target.
  const images = await sql.$queryRaw<Array<{ id: string; repo: string; digest: string; tags: string[]; lastSeen: Date; n: bigint; crit: bigint; high: bigint }>>`
    SELECT i.id, i."registryHost" || '/' || i.repository AS repo, i.digest, i.tags, i."lastSeen",
      count(f.id) AS n, count(f.id) FILTER (WHERE f.severity = 'CRITICAL') AS crit, count(f.id) FILTER (WHERE f.severity = 'HIGH') AS high
    FROM "Image" i LEFT JOIN "Finding" f ON f."imageId" = i.id AND f.status = 'OPEN' AND f.type = 'VULNERABILITY'
    WHERE i."orgId" = ${orgId} AND i."lastScannedAt" IS NOT NULL
    GROUP BY i.id`;
  const scope = imageScope ? new Set(imageScope) : null;
  const byRepo = new Map<string, typeof images>();
  for (const im of images) byRepo.set(im.repo, [...(byRepo.get(im.repo) ?? []), im]);
  const out: FixLeverage[] = [];
  for (const [repo, list] of byRepo) {
    const newest = list.reduce((a, b) => (b.lastSeen > a.lastSeen ? b : a));
    const running = list.filter((im) => im !== newest && countWorkloads([im.id]) > 0 && (!scope || scope.has(im.id)) && Number(im.n) > Number(newest.n));
    if (running.length === 0) continue;
    out.push({
      kind: "image",
      target: repo,
      ecosystem: null,
      from: running.map((im) => im.tags[0] ?? im.digest.slice(0, 19)),
      to: newest.tags[0] ?? newest.digest,
      findings: running.reduce((s, im) => s + Number(im.n) - Number(newest.n), 0),
      critical: running.reduce((s, im) => s + Math.max(0, Number(im.crit) - Number(newest.crit)), 0),
      high: running.reduce((s, im) => s + Math.max(0, Number(im.high) - Number(newest.high)), 0),
      images: running.length,
      workloads: countWorkloads(running.map((im) => im.id)),
    });
  }
  return rank(out, limit);
}

function rank(list: FixLeverage[], limit: number): FixLeverage[] {
  return list.sort((a, b) => b.critical - a.critical || b.findings - a.findings || b.workloads - a.workloads || a.target.localeCompare(b.target)).slice(0, limit);
}
