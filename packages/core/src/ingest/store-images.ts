import { type SqlTx } from "@bulwark/db";
import { tryParseImageRef } from "./image-ref.ts";
import { type NormalizedPackage } from "./normalized.ts";
import { newId } from "./store-findings.ts";

// Images are stored once per (orgId, digest), whichever report names them first; later reports add
// what they know (tags, OS, scan time) without erasing what others said.

export interface ImageFacts {
  digest: string;
  registryHost?: string | null;
  repository?: string | null;
  tags?: string[];
  registryId?: string | null;
  osFamily?: string | null;
  osName?: string | null;
  signatureVerified?: boolean | null;
  malwareVerdict?: string | null;
  seenAt: Date;
  scannedAt?: Date | null;
}

/** Registry host, repository and tags from references such as "alpine:3.10" or "ghcr.io/a/b@sha256:…". */
export function locateImage(refs: ReadonlyArray<string | null | undefined>): { registryHost: string | null; repository: string | null; tags: string[] } {
  let registryHost: string | null = null;
  let repository: string | null = null;
  const tags = new Set<string>();
  for (const text of refs) {
    const ref = text ? tryParseImageRef(text) : null;
    if (!ref) continue;
    if (!repository) {
      registryHost = ref.registryHost;
      repository = ref.repository;
    }
    // A digest-only reference carries no tag; "latest" is only a default when nothing was written.
    if (ref.tag && (ref.tag !== "latest" || /:latest(@|$)/.test(text ?? ""))) tags.add(ref.tag);
  }
  return { registryHost, repository, tags: [...tags].sort() };
}

/** Upserts images by digest; answers digest → id. One statement for the whole set. */
/** Image ids by digest. `created`, when given, receives the digests of the images this call created. */
export async function upsertImages(tx: SqlTx, orgId: string, images: ImageFacts[], created?: Set<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byDigest = new Map<string, ImageFacts>();
  for (const i of images) if (!byDigest.has(i.digest)) byDigest.set(i.digest, i);
  const list = [...byDigest.values()];
  if (list.length === 0) return out;
  const col = <T>(pick: (i: ImageFacts) => T) => list.map(pick);
  const rows = await tx.$queryRaw<Array<{ id: string; digest: string; created: boolean }>>`
    INSERT INTO "Image" AS i (id, "orgId", digest, "registryHost", repository, tags, "registryId", "osFamily", "osName",
      "signatureVerified", "malwareVerdict", "firstSeen", "lastSeen", "lastScannedAt")
    SELECT id, ${orgId}, digest, COALESCE(host, ''), COALESCE(repo, ''), string_to_array(tags, E'\\x1f'), registry_id, os_family, os_name,
      signed, verdict, seen AT TIME ZONE 'UTC', seen AT TIME ZONE 'UTC', scanned AT TIME ZONE 'UTC'
    FROM unnest(${col(() => newId())}::text[], ${col((i) => i.digest)}::text[], ${col((i) => i.registryHost ?? null)}::text[],
      ${col((i) => i.repository ?? null)}::text[], ${col((i) => (i.tags ?? []).join("\u001f"))}::text[], ${col((i) => i.registryId ?? null)}::text[],
      ${col((i) => i.osFamily ?? null)}::text[], ${col((i) => i.osName ?? null)}::text[], ${col((i) => i.signatureVerified ?? null)}::boolean[],
      ${col((i) => i.malwareVerdict ?? null)}::text[], ${col((i) => i.seenAt.toISOString())}::timestamptz[],
      ${col((i) => i.scannedAt?.toISOString() ?? null)}::timestamptz[])
      AS t(id, digest, host, repo, tags, registry_id, os_family, os_name, signed, verdict, seen, scanned)
    ON CONFLICT ("orgId", digest) DO UPDATE SET
      "registryHost" = CASE WHEN EXCLUDED."registryHost" <> '' AND i.repository = '' THEN EXCLUDED."registryHost" ELSE i."registryHost" END,
      repository = CASE WHEN i.repository = '' THEN EXCLUDED.repository ELSE i.repository END,
      tags = ARRAY(SELECT DISTINCT x FROM unnest(i.tags || EXCLUDED.tags) x ORDER BY x),
      "registryId" = COALESCE(EXCLUDED."registryId", i."registryId"),
      "osFamily" = COALESCE(EXCLUDED."osFamily", i."osFamily"),
      "osName" = COALESCE(EXCLUDED."osName", i."osName"),
      "signatureVerified" = COALESCE(EXCLUDED."signatureVerified", i."signatureVerified"),
      "malwareVerdict" = COALESCE(EXCLUDED."malwareVerdict", i."malwareVerdict"),
      "lastSeen" = GREATEST(i."lastSeen", EXCLUDED."lastSeen"),
      "lastScannedAt" = GREATEST(i."lastScannedAt", EXCLUDED."lastScannedAt")
    RETURNING i.id, i.digest, (i.xmax = 0) AS created`;
  for (const r of rows) {
    out.set(r.digest, r.id);
    if (r.created) created?.add(r.digest);
  }
  return out;
}

/** Replaces an image's package set (the newest full list wins). Answers how many are stored. */
export async function replaceImagePackages(tx: SqlTx, imageId: string, packages: NormalizedPackage[]): Promise<number> {
  await tx.$executeRaw`DELETE FROM "ImagePackage" WHERE "imageId" = ${imageId}`;
  // A new package list has not been matched against the advisory store yet (the worker does it next).
  await tx.$executeRaw`UPDATE "Image" SET "matchedAt" = NULL WHERE id = ${imageId} AND "matchedAt" IS NOT NULL`;
  if (packages.length === 0) return 0;
  let stored = 0;
  for (let i = 0; i < packages.length; i += 10_000) {
    const part = packages.slice(i, i + 10_000);
    stored += await tx.$executeRaw`
      INSERT INTO "ImagePackage" (id, "imageId", ecosystem, name, version, purl, license, "srcName", "srcVersion")
      SELECT id, ${imageId}, eco, name, version, purl, license, src_name, src_version
      FROM unnest(${part.map(() => newId())}::text[], ${part.map((p) => p.ecosystem)}::text[], ${part.map((p) => p.name)}::text[],
        ${part.map((p) => p.version)}::text[], ${part.map((p) => p.purl)}::text[], ${part.map((p) => p.license)}::text[],
        ${part.map((p) => p.srcName ?? null)}::text[], ${part.map((p) => p.srcVersion ?? null)}::text[])
        AS t(id, eco, name, version, purl, license, src_name, src_version)
      ON CONFLICT ("imageId", ecosystem, name, version) DO NOTHING`;
  }
  return stored;
}
