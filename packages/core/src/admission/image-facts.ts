import { type Db, type Image } from "@bulwark/db";
import { type ImageFacts } from "@bulwark/policy";
import { tryParseImageRef } from "../ingest/image-ref.ts";

// What Bulwark knows about the images of an admitted workload, from the organization's Image rows and
// their open findings: a reference with a digest matches that digest; a tag reference matches the
// image most recently seen under that registry, repository and tag. Images Bulwark has never seen are
// left out, so image policies treat them as unknown (they pass) rather than as clean or dirty.

type ImageRow = Pick<Image, "id" | "digest" | "registryHost" | "repository" | "tags" | "signatureVerified" | "malwareVerdict" | "lastScannedAt" | "lastSeen">;

const IMAGE_SELECT = { id: true, digest: true, registryHost: true, repository: true, tags: true, signatureVerified: true, malwareVerdict: true, lastScannedAt: true, lastSeen: true } as const;

/** A cluster's pods name a handful of images; bounds the lookup for hostile pod specs. */
const MAX_REFS = 100;

export async function loadImageFacts(db: Db, orgId: string, refs: readonly string[]): Promise<Record<string, ImageFacts>> {
  const parsed = [...new Set(refs)].slice(0, MAX_REFS).flatMap((ref) => {
    const p = tryParseImageRef(ref);
    return p ? [{ ref, p }] : [];
  });
  if (parsed.length === 0) return {};
  const digests = parsed.flatMap(({ p }) => (p.digest ? [p.digest] : []));
  const tagged = parsed.filter(({ p }) => !p.digest && p.tag !== null);
  const rows: ImageRow[] = await db.image.findMany({
    where: {
      orgId,
      OR: [
        ...(digests.length > 0 ? [{ digest: { in: digests } }] : []),
        ...tagged.map(({ p }) => ({ registryHost: p.registryHost, repository: p.repository, tags: { has: p.tag! } })),
      ],
    },
    orderBy: [{ lastSeen: "desc" }, { id: "asc" }],
    select: IMAGE_SELECT,
  });
  const matched = new Map<string, ImageRow>();
  for (const { ref, p } of parsed) {
    const row = p.digest
      ? rows.find((r) => r.digest === p.digest)
      : rows.find((r) => r.registryHost === p.registryHost && r.repository === p.repository && p.tag !== null && r.tags.includes(p.tag));
    if (row) matched.set(ref, row);
  }
  if (matched.size === 0) return {};

  const imageIds = [...new Set([...matched.values()].map((r) => r.id))];
  const [vulns, malware] = await Promise.all([
    db.finding.groupBy({
      by: ["imageId", "severity", "fixable"],
      where: { orgId, imageId: { in: imageIds }, type: "VULNERABILITY", status: "OPEN" },
      _count: { _all: true },
    }),
    db.finding.findMany({ where: { orgId, imageId: { in: imageIds }, type: "MALWARE", status: "OPEN" }, select: { imageId: true, ruleId: true } }),
  ]);

  const facts: Record<string, ImageFacts> = {};
  for (const [ref, row] of matched) {
    const counts = { critical: 0, high: 0, medium: 0, low: 0, fixableCritical: 0, fixableHigh: 0 };
    for (const v of vulns) {
      if (v.imageId !== row.id) continue;
      const n = v._count._all;
      if (v.severity === "CRITICAL") {
        counts.critical += n;
        if (v.fixable) counts.fixableCritical += n;
      } else if (v.severity === "HIGH") {
        counts.high += n;
        if (v.fixable) counts.fixableHigh += n;
      } else if (v.severity === "MEDIUM") counts.medium += n;
      else if (v.severity === "LOW") counts.low += n;
    }
    const signatures = [...new Set(malware.filter((m) => m.imageId === row.id).map((m) => m.ruleId))];
    facts[ref] = {
      ref,
      digest: row.digest,
      registry: row.registryHost,
      ...(row.lastScannedAt ? { scannedAt: row.lastScannedAt.toISOString() } : {}),
      vulnerabilities: counts,
      malware: { detected: signatures.length > 0 || row.malwareVerdict === "malicious", signatures },
      signature: { verified: row.signatureVerified === true },
    };
  }
  return facts;
}
