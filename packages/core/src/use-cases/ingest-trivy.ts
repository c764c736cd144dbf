import { type DbTx } from "@bulwark/db";
import { type ParsedCycloneDx } from "../ingest/cyclonedx.ts";
import { validationError } from "../ingest/normalized.ts";
import { resolveMissing, upsertFindings } from "../ingest/store-findings.ts";
import { locateImage, replaceImagePackages, upsertImages } from "../ingest/store-images.ts";
import { type ParsedTrivyReport, TRIVY_SOURCE } from "../ingest/trivy.ts";

export interface IngestReport {
  id: string;
  orgId: string;
  subject: string | null;
  receivedAt: Date;
}

/**
 * Stores a Trivy report: the image by digest, its packages when listed, its findings. A Trivy report is
 * a full scan of one artifact, so the artifact's open Trivy findings it no longer lists resolve.
 * Scans without an image (repository, filesystem, config) are keyed on the artifact name instead.
 */
export async function ingestTrivy(tx: DbTx, report: IngestReport, parsed: ParsedTrivyReport) {
  const at = report.receivedAt;
  let imageId: string | null = null;
  let packages = 0;
  if (parsed.image?.digest) {
    const img = parsed.image;
    const located = locateImage([img.name, ...img.repoTags, ...img.repoDigests]);
    const ids = await upsertImages(tx, report.orgId, [
      { digest: img.digest!, ...located, osFamily: parsed.os?.family ?? null, osName: parsed.os?.name ?? null, seenAt: at, scannedAt: at },
    ]);
    imageId = ids.get(img.digest!) ?? null;
    if (imageId && parsed.packages.length > 0) packages = await replaceImagePackages(tx, imageId, parsed.packages);
  }
  const artifact = parsed.artifact.name ?? "";
  const rows = parsed.findings.map((f) => ({
    finding: imageId ? f : { ...f, evidence: { ...f.evidence, artifact, artifactType: parsed.artifact.type } },
    imageId,
    firstSeen: at,
    lastSeen: at,
  }));
  const upserted = await upsertFindings(tx, report.orgId, rows);
  const keep = parsed.findings.map((f) => f.fingerprint);
  const resolved = imageId
    ? await resolveMissing(tx, { orgId: report.orgId, source: TRIVY_SOURCE, at, imageId, keep })
    : await resolveMissing(tx, { orgId: report.orgId, source: TRIVY_SOURCE, at, artifact, keep });
  const { created, updated, reopened, unchanged } = upserted;
  return { findings: rows.length, created, updated, reopened, unchanged, resolved, packages, images: imageId ? 1 : 0 };
}

/** Stores an SBOM's components as the image's packages (the subject is the image digest). */
export async function ingestSbom(tx: DbTx, report: IngestReport, parsed: ParsedCycloneDx) {
  const digest = report.subject;
  if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw validationError("subject", "An SBOM is stored for an image digest (sha256:<64 hex>)");
  const img = parsed.image;
  const located = locateImage(img ? [img.name, ...img.repoTags, ...img.repoDigests] : []);
  const ids = await upsertImages(tx, report.orgId, [
    { digest, ...located, osFamily: parsed.os?.family ?? null, osName: parsed.os?.name ?? null, seenAt: report.receivedAt },
  ]);
  const imageId = ids.get(digest)!;
  const packages = await replaceImagePackages(tx, imageId, parsed.packages);
  return { images: 1, packages, components: parsed.stats.components };
}
