import { type DbTx } from "@bulwark/db";
import { type RegistryImagesReport } from "../ingest/registry-images.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { newId, upsertFindings, utc } from "../ingest/store-findings.ts";
import { upsertImages } from "../ingest/store-images.ts";
import { type IngestReport } from "./ingest-trivy.ts";

export const REGISTRY_SOURCE = "registry";

/**
 * Stores a registry connector's image list: the registry, each image with its tags, signature and
 * malware verdict, and a MALWARE finding per malicious digest. A digest the registry now lists as
 * clean resolves its open malware findings.
 */
export async function ingestRegistry(tx: DbTx, report: IngestReport, parsed: RegistryImagesReport) {
  const { orgId } = report;
  const at = report.receivedAt;
  const name = report.subject ?? parsed.registry.name;
  const [registry] = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "Registry" AS r (id, "orgId", name, host, "lastReportAt", "createdAt", "updatedAt")
    VALUES (${newId()}, ${orgId}, ${name}, ${parsed.registry.host}, ${utc(at)}, now(), now())
    ON CONFLICT ("orgId", name) DO UPDATE SET host = EXCLUDED.host, "lastReportAt" = GREATEST(r."lastReportAt", EXCLUDED."lastReportAt"), "updatedAt" = now()
    RETURNING r.id`;
  if (!registry) throw new Error("registry upsert returned nothing");

  // A digest listed under several repositories is one image; its tags are the union.
  const merged = new Map<string, (typeof parsed.images)[number] & { allTags: Set<string> }>();
  for (const img of parsed.images) {
    const m = merged.get(img.digest);
    if (m) img.tags.forEach((t) => m.allTags.add(t));
    else merged.set(img.digest, { ...img, allTags: new Set(img.tags) });
  }
  const imageIds = await upsertImages(
    tx,
    orgId,
    [...merged.values()].map((img) => ({
      digest: img.digest,
      registryHost: img.registryHost,
      repository: img.repository,
      tags: [...img.allTags].sort(),
      registryId: registry.id,
      signatureVerified: img.signatureVerified,
      malwareVerdict: img.malwareVerdict,
      seenAt: at,
    })),
  );

  const upserted = await upsertFindings(
    tx,
    orgId,
    parsed.findings.map(({ imageDigest, ...finding }) => ({ finding, imageId: imageIds.get(imageDigest) ?? null, firstSeen: at, lastSeen: at })),
  );
  // Approved exceptions cover new and reopened findings in the same transaction (exceptions/apply.ts).
  await applyExceptions(tx, orgId, { findingIds: [...upserted.ids.values()] });
  const clean = [...merged.values()].filter((i) => i.malwareVerdict === "clean").map((i) => imageIds.get(i.digest)).filter((id): id is string => !!id);
  const resolved = clean.length
    ? await tx.$executeRaw`UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = ${utc(at)}, "updatedAt" = now()
        WHERE COALESCE("orgId", '') = ${orgId} AND status = 'OPEN' AND type = 'MALWARE' AND source = ${REGISTRY_SOURCE}
          AND "imageId" = ANY(${clean}::text[]) AND "lastSeen" < ${utc(at)}`
    : 0;
  const { created, updated, reopened, unchanged } = upserted;
  return { images: imageIds.size, findings: parsed.findings.length, created, updated, reopened, unchanged, resolved };
}
