import { type DbTx, type SqlTx } from "@bulwark/db";
import { type ParsedCycloneDx } from "../ingest/cyclonedx.ts";
import { validationError } from "../ingest/normalized.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { type FindingRow, resolveMissing, resolveMissingForImages, upsertFindings } from "../ingest/store-findings.ts";
import { locateImage, replaceImagePackages, upsertImages } from "../ingest/store-images.ts";
import { type ParsedTrivyReport, TRIVY_SOURCE } from "../ingest/trivy.ts";
import { type AlertCandidate } from "../notifications/types.ts";

/**
 * Scanner findings worth an alert when they appear or come back: malware and leaked secrets in an
 * image, and critical vulnerabilities. The rest of a scan (hundreds of lower findings per image) is
 * for the dashboard, not for a pager.
 */
export function alertsOnIngest(f: { type: string; severity: string }): boolean {
  return f.type === "MALWARE" || f.type === "SECRET" || (f.type === "VULNERABILITY" && f.severity === "CRITICAL");
}

/** At most this many alert candidates per batch of reports: a first scan of a big estate is not a page per finding. */
export const MAX_INGEST_ALERTS = 1_000;

export interface IngestReport {
  id: string;
  orgId: string;
  subject: string | null;
  receivedAt: Date;
}

export type TrivyCounts = {
  findings: number;
  created: number;
  updated: number;
  reopened: number;
  unchanged: number;
  resolved: number;
  packages: number;
  images: number;
};

/**
 * Stores a Trivy report: the image by digest, its packages when listed, its findings. A Trivy report is
 * a full scan of one artifact, so the artifact's open Trivy findings it no longer lists resolve.
 * Scans without an image (repository, filesystem, config) are keyed on the artifact name instead.
 */
export async function ingestTrivy(tx: DbTx, report: IngestReport, parsed: ParsedTrivyReport, alerts?: AlertCandidate[]): Promise<TrivyCounts> {
  const [counts] = await ingestTrivyBatch(tx, [{ report, parsed }], alerts);
  return counts!;
}

export interface TrivyBatchItem {
  report: IngestReport;
  parsed: ParsedTrivyReport;
}

/**
 * Stores several Trivy reports of one organization with a handful of statements in all, instead of a
 * handful per report: when connectors post hundreds of scans at once, per-statement cost, not row
 * cost, dominates. Reports about the same artifact go in successive waves in the order received, because
 * one INSERT … ON CONFLICT may not touch a row twice; the answer is each report's own counts, in order.
 * New and reopened findings that alert (alertsOnIngest), still OPEN after exceptions, go into `alerts`.
 */
export async function ingestTrivyBatch(tx: SqlTx, items: TrivyBatchItem[], alerts?: AlertCandidate[]): Promise<TrivyCounts[]> {
  const orgId = items[0]?.report.orgId;
  if (!orgId) return [];
  if (items.some((i) => i.report.orgId !== orgId)) throw new Error("ingestTrivyBatch: one organization per batch");
  const counts = items.map(() => ({ findings: 0, created: 0, updated: 0, reopened: 0, unchanged: 0, resolved: 0, packages: 0, images: 0 }));
  const written: string[] = [];
  const candidates = new Map<string, AlertCandidate["reason"]>();
  for (const wave of waves(items)) {
    const images = wave.flatMap(({ index }) => {
      const { report, parsed } = items[index]!;
      const img = parsed.image;
      if (!img?.digest) return [];
      const located = locateImage([img.name, ...img.repoTags, ...img.repoDigests]);
      const at = report.receivedAt;
      return [{ digest: img.digest, ...located, osFamily: parsed.os?.family ?? null, osName: parsed.os?.name ?? null, seenAt: at, scannedAt: at }];
    });
    const createdDigests = new Set<string>();
    const imageIds = await upsertImages(tx, orgId, images, createdDigests);
    const rows: FindingRow[] = [];
    const owner = new Map<string, number>();
    const alerting = new Set<string>();
    const resolveImages: { imageId: string; at: Date; index: number }[] = [];
    for (const { index } of wave) {
      const { report, parsed } = items[index]!;
      const imageId = parsed.image?.digest ? (imageIds.get(parsed.image.digest) ?? null) : null;
      if (imageId) {
        counts[index]!.images = 1;
        if (parsed.packages.length > 0) counts[index]!.packages = await replaceImagePackages(tx, imageId, parsed.packages);
        // A new image has nothing older to resolve.
        if (!createdDigests.has(parsed.image?.digest ?? "")) resolveImages.push({ imageId, at: report.receivedAt, index });
      }
      const artifact = parsed.artifact.name ?? "";
      for (const f of parsed.findings) {
        owner.set(f.fingerprint, index);
        if (alerts && alertsOnIngest(f)) alerting.add(f.fingerprint);
        rows.push({
          finding: imageId ? f : { ...f, evidence: { ...f.evidence, artifact, artifactType: parsed.artifact.type } },
          imageId,
          firstSeen: report.receivedAt,
          lastSeen: report.receivedAt,
        });
      }
      counts[index]!.findings = parsed.findings.length;
      if (!imageId) {
        const keep = parsed.findings.map((f) => f.fingerprint);
        counts[index]!.resolved = await resolveMissing(tx, { orgId, source: TRIVY_SOURCE, at: report.receivedAt, artifact, keep });
      }
    }
    // A scan's fingerprints name its image digest, and an image's findings go when it goes (cascade),
    // so the findings of an image created just now cannot exist yet.
    const newImageIds = new Set([...createdDigests].map((d) => imageIds.get(d)!));
    const upserted = await upsertFindings(tx, orgId, rows, { newImageIds });
    for (const id of upserted.ids.values()) written.push(id);
    for (const [fp, outcome] of upserted.outcomes) {
      const index = owner.get(fp);
      if (index !== undefined) counts[index]![outcome]++;
      if ((outcome === "created" || outcome === "reopened") && alerting.has(fp) && candidates.size < MAX_INGEST_ALERTS) {
        const id = upserted.ids.get(fp);
        if (id) candidates.set(id, outcome);
      }
    }
    const resolved = await resolveMissingForImages(tx, orgId, TRIVY_SOURCE, resolveImages);
    for (const r of resolveImages) counts[r.index]!.resolved = resolved.get(r.imageId) ?? 0;
  }
  // Approved exceptions cover new and reopened findings in the same transaction (exceptions/apply.ts).
  await applyExceptions(tx, orgId, { findingIds: written });
  if (alerts && candidates.size > 0) {
    // Suppressed findings never alert: only those the exceptions left OPEN are candidates.
    const open = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "Finding" WHERE COALESCE("orgId", '') = ${orgId} AND id = ANY(${[...candidates.keys()]}::text[]) AND status = 'OPEN'`;
    for (const { id } of open) alerts.push({ findingId: id, reason: candidates.get(id)! });
  }
  return counts;
}

/** Splits the batch so that no artifact appears twice in a wave; order of receipt is kept. */
function waves(items: TrivyBatchItem[]): { index: number }[][] {
  const out: { index: number }[][] = [];
  const seenIn: Map<string, number>[] = [];
  const order = items.map((_, index) => index).sort((a, b) => items[a]!.report.receivedAt.getTime() - items[b]!.report.receivedAt.getTime() || a - b);
  for (const index of order) {
    const { parsed } = items[index]!;
    const key = parsed.image?.digest ? `d:${parsed.image.digest}` : `a:${parsed.artifact.name ?? ""}`;
    let w = 0;
    while (seenIn[w]?.has(key)) w++;
    (seenIn[w] ??= new Map()).set(key, index);
    (out[w] ??= []).push({ index });
  }
  return out;
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
