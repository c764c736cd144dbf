import { type Db, type Prisma } from "@bulwark/db";
import { ADVISORIES } from "./advisories.ts";
import { type EstateSpec, placeWorkloads } from "./estates.ts";
import { workloadFindings } from "./findings.ts";
import { imageSpec } from "./images.ts";
import { daysAgo, intBetween, prng, seedId } from "./util.ts";

// The part of the demo that is still written straight into the database, because no report or API
// produces it yet. Keep it small; it goes away piece by piece:
//   - workload MISCONFIGURATION and POLICY_VIOLATION findings and workload risk scores: until the policy
//     engine evaluates inventory (issue 5);
//   - scan-run history and the registries' "trusted" setting: no API writes them yet;
//   - advisories: public data, loaded by the advisory sync once it exists;
//   - posture history (history.ts): the nightly snapshot job writes one row a day, the demo needs thirty.
// Everything else (clusters, namespaces, workloads, containers, images, packages, image and runtime
// findings, runtime events, registries) arrives through the connector API (connector.ts, reports.ts);
// the only other write there stamps each demo report with the past time it replays (connector.ts).
// Inserts skip rows that exist, so re-running changes nothing and keeps what people changed since.

export async function seedAdvisories(db: Db): Promise<number> {
  await db.advisory.createMany({
    skipDuplicates: true,
    data: ADVISORIES.map((a) => ({
      externalId: a.externalId,
      aliases: a.aliases,
      source: a.source,
      summary: a.summary,
      severity: a.severity,
      cvssScore: a.cvssScore,
      cvssVector: a.cvssVector,
      affected: a.affected.map((x) => ({ ecosystem: x.ecosystem, package: x.package, ...(x.fixed ? { fixed: x.fixed } : {}) })),
      references: [{ type: "ADVISORY", url: `https://nvd.nist.gov/vuln/detail/${a.externalId}` }],
      publishedAt: new Date(`${a.publishedAt}T00:00:00Z`),
      modifiedAt: new Date(`${a.modifiedAt}T00:00:00Z`),
    })),
  });
  return ADVISORIES.length;
}

/**
 * Writes an organization's direct rows. Settings (registry trust) and derived values (risk scores) are
 * set once, on the run whose scan-run rows are new, so later edits by people survive restarts.
 */
export async function seedDirect(db: Db, orgId: string, estate: EstateSpec, anchor: Date): Promise<void> {
  const dayOffset = (key: string) => intBetween(prng(`${estate.slug}|${key}`), 2, 28);
  const placed = placeWorkloads(estate);
  const rows = await db.workload.findMany({
    where: { orgId, deleted: false },
    select: { id: true, kind: true, name: true, clusterId: true, namespaceId: true, cluster: { select: { name: true } }, namespace: { select: { name: true } } },
  });
  const workloads = new Map(rows.map((w) => [`${w.cluster.name}/${w.namespace.name}/${w.kind}/${w.name}`, w]));

  const drafts = placed.flatMap((p) => workloadFindings(p, estate, imageSpec, dayOffset));
  const seen = new Set<string>();
  for (const d of drafts) {
    if (seen.has(d.fingerprint)) throw new Error(`seed: duplicate finding fingerprint for ${d.ruleId} (${d.workloadKey})`);
    seen.add(d.fingerprint);
  }
  await db.finding.createMany({
    skipDuplicates: true,
    data: drafts.map((d) => {
      const w = workloads.get(d.workloadKey);
      if (!w) throw new Error(`seed: the inventory did not create workload ${d.workloadKey}`);
      const firstSeen = daysAgo(anchor, d.firstSeenDaysAgo, 3);
      return {
        orgId,
        fingerprint: d.fingerprint,
        type: d.type,
        severity: d.severity,
        status: d.resolvedDaysAgo !== undefined ? ("RESOLVED" as const) : ("OPEN" as const),
        title: d.title,
        description: d.description,
        ruleId: d.ruleId,
        source: d.source,
        workloadId: w.id,
        clusterId: w.clusterId,
        namespaceId: w.namespaceId,
        mitreTechniques: d.mitreTechniques,
        evidence: d.evidence as Prisma.InputJsonValue,
        remediation: d.remediation,
        firstSeen,
        lastSeen: daysAgo(anchor, d.lastSeenDaysAgo),
        resolvedAt: d.resolvedDaysAgo !== undefined ? daysAgo(anchor, d.resolvedDaysAgo) : null,
        createdAt: firstSeen,
      };
    }),
  });

  const { count: firstRun } = await db.scanRun.createMany({
    skipDuplicates: true,
    data: [
      ...estate.clusters.map((c, i) => ({
        id: seedId(`${estate.slug}|scan|ingest|${c.name}`),
        orgId,
        kind: "INGEST" as const,
        status: "SUCCEEDED" as const,
        trigger: `connector:${c.name}`,
        stats: { workloads: placed.filter((p) => p.cluster === c.name).length, durationMs: 1800 + i * 400 },
        startedAt: daysAgo(anchor, 0, 1 / 6 + i / 60),
        finishedAt: daysAgo(anchor, 0, 1 / 6 + i / 60 - 0.0005),
      })),
      {
        id: seedId(`${estate.slug}|scan|full`),
        orgId,
        kind: "FULL" as const,
        status: "SUCCEEDED" as const,
        trigger: "schedule:nightly",
        stats: { workloads: placed.length, durationMs: 42_500 },
        startedAt: daysAgo(anchor, 0, 6),
        finishedAt: daysAgo(anchor, 0, 5.98),
      },
    ],
  });

  if (firstRun === 0) return;
  const trusted = estate.registries.filter((r) => r.trusted).map((r) => r.name);
  await db.registry.updateMany({ where: { orgId, name: { in: trusted } }, data: { trusted: true } });
  // Risk: open findings of the workload and of the images it runs, weighted by severity, capped at 100.
  await db.$executeRaw`
    WITH weight AS (
      SELECT f.id, f."workloadId", f."imageId",
        CASE f.severity WHEN 'CRITICAL' THEN 25 WHEN 'HIGH' THEN 10 WHEN 'MEDIUM' THEN 4 WHEN 'LOW' THEN 1 ELSE 0 END AS points
      FROM "Finding" f WHERE f."orgId" = ${orgId} AND f.status = 'OPEN'
    ),
    score AS (
      SELECT wl.id,
        COALESCE((SELECT sum(points) FROM weight WHERE weight."workloadId" = wl.id), 0)
        + COALESCE((SELECT sum(points) FROM weight WHERE weight."imageId" IN (SELECT c."imageId" FROM "Container" c WHERE c."workloadId" = wl.id)), 0) AS total
      FROM "Workload" wl WHERE wl."orgId" = ${orgId} AND wl.deleted = false
    )
    UPDATE "Workload" SET "riskScore" = LEAST(100, score.total)::int FROM score WHERE "Workload".id = score.id`;
}
