import { createLogger, executeScanRun, refreshRiskScores, storeAdvisories } from "@bulwark/core";
import { type Db, type Prisma } from "@bulwark/db";
import { parseOsvRecord } from "@bulwark/vuln";
import { ADVISORIES, type AdvisorySpec, type Ecosystem } from "./advisories.ts";
import { WITHDRAWN } from "./scans.ts";
import { type EstateSpec, placeWorkloads } from "./estates.ts";
import { workloadFindings } from "./findings.ts";
import { imageSpec } from "./images.ts";
import { daysAgo, intBetween, prng, seedId } from "./util.ts";

// The part of the demo that is still written straight into the database, because no report or API
// produces it yet. Keep it small; it goes away piece by piece:
//   - Trivy-style workload MISCONFIGURATION findings and audited-admission POLICY_VIOLATION findings
//     (the demo has no Trivy config scans or admission history); the policy set's own results come
//     from evaluateWorkloads, as the worker's posture.evaluate job stores them;
//   - scan-run history and the registries' "trusted" setting: no API writes them yet;
//   - posture history (history.ts): the nightly snapshot job writes one row a day, the demo needs thirty.
// Everything else (clusters, namespaces, workloads, containers, images, packages, image and runtime
// findings, runtime events, registries) arrives through the connector API (connector.ts, reports.ts);
// the only other write there stamps each demo report with the past time it replays (connector.ts).
// Inserts skip rows that exist, so re-running changes nothing and keeps what people changed since.

// The demo images' distro releases, for the OSV ecosystems of the seed's advisories.
const OSV_ECOSYSTEMS: Record<Ecosystem, string[]> = { deb: ["Debian:12"], apk: ["Alpine:v3.18", "Alpine:v3.19"], npm: ["npm"], pypi: ["PyPI"], golang: ["Go"] };
// Listed in CISA's Known Exploited Vulnerabilities catalog (a fact of the public record).
const KNOWN_EXPLOITED = new Set(["CVE-2023-4863", "CVE-2023-44487"]);

/** A seed advisory as the OSV record a feed would deliver. */
export function osvRecord(a: AdvisorySpec): Record<string, unknown> {
  return {
    schema_version: "1.6.0",
    id: a.externalId,
    aliases: a.aliases,
    summary: a.title,
    details: a.summary,
    published: `${a.publishedAt}T00:00:00Z`,
    modified: `${a.modifiedAt}T00:00:00Z`,
    ...(a.cvssVector ? { severity: [{ type: a.cvssVector.startsWith("CVSS:4") ? "CVSS_V4" : "CVSS_V3", score: a.cvssVector }] } : {}),
    affected: a.affected.flatMap((x) =>
      OSV_ECOSYSTEMS[x.ecosystem].map((ecosystem) => ({
        package: { ecosystem, name: x.package },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, ...(x.fixed ? [{ fixed: x.fixed }] : [])] }],
        // Without a CVSS vector the vendor rating is what scanners show.
        ...(a.cvssVector ? {} : { database_specific: { severity: a.severity } }),
      })),
    ),
    references: [{ type: "ADVISORY", url: `https://nvd.nist.gov/vuln/detail/${a.externalId}` }],
    // The demo's story: the record was withdrawn after the first scans, which later scans reflect.
    ...(WITHDRAWN.has(a.externalId) ? { withdrawn: `${a.modifiedAt}T00:00:00Z` } : {}),
    ...(KNOWN_EXPLOITED.has(a.externalId) ? { database_specific: { cisa_known_exploited: true } } : {}),
  };
}

/** The demo advisories, through the same parse and store path as `bulwark vuln import` (idempotent by content hash). */
export async function seedAdvisories(db: Db): Promise<number> {
  const parsed = ADVISORIES.map((a) => parseOsvRecord(osvRecord(a)));
  const bad = parsed.find((p) => !p.ok);
  if (bad && !bad.ok) throw new Error(`seed: invalid advisory ${bad.id}: ${bad.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  await storeAdvisories(db, parsed.flatMap((p) => (p.ok ? [p.advisory] : [])), "demo");
  return ADVISORIES.length;
}

/** One full re-match of the organization (as its nightly schedule would run), then risk from the result. */
export async function seedRematch(db: Db, orgId: string): Promise<void> {
  const exists = await db.scanRun.findFirst({ where: { orgId, kind: "FULL", trigger: "seed" }, select: { id: true } });
  if (!exists) {
    const run = await db.scanRun.create({ data: { orgId, kind: "FULL", trigger: "seed" } });
    await executeScanRun(db, run.id, { logger: createLogger("seed", "warn") });
  }
  await refreshRiskScores(db, orgId);
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
    ],
  });

  if (firstRun === 0) return;
  const trusted = estate.registries.filter((r) => r.trusted).map((r) => r.name);
  await db.registry.updateMany({ where: { orgId, name: { in: trusted } }, data: { trusted: true } });
}
