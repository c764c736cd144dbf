import { z } from "zod";
import { AppError, type FieldError } from "../errors.ts";
import { fingerprint } from "./fingerprint.ts";
import { ImageRefError, parseImageRef, parseRegistryLocation } from "./image-ref.ts";
import { type NormalizedFinding } from "./normalized.ts";

// A registry connector's list of images (POST /registries/{name}/images): what each digest is tagged as,
// whether its signature verified, and the registry's malware verdict. A malicious verdict becomes a
// MALWARE finding on the image digest. Pure: no I/O.

export const MAX_REGISTRY_IMAGES = 200_000;
const MAX_FIELD_ERRORS = 100;
/** ATT&CK "User Execution: Malicious Image". */
export const MALICIOUS_IMAGE_TECHNIQUE = "T1204.003";

const isoDate = z.iso.datetime({ offset: true, message: "Expected an ISO 8601 date-time" });
const shortText = (max: number) => z.string().trim().min(1).max(max);

export const registryImageSchema = z.looseObject({
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, "Expected sha256: followed by 64 lower-case hex characters"),
  repository: shortText(255),
  tags: z
    .array(z.string().regex(/^[\w][\w.-]{0,127}$/, "Invalid tag"))
    .max(1000)
    .default([]),
  pushedAt: isoDate,
  signature: z.looseObject({
    verified: z.boolean(),
    signer: shortText(1000).optional(),
    method: shortText(100).optional(),
  }),
  malwareScan: z
    .looseObject({
      verdict: z.enum(["clean", "malicious", "unknown"]),
      scanner: shortText(200).optional(),
      signatures: z.array(shortText(500)).max(1000).optional(),
      scannedAt: isoDate.optional(),
    })
    .optional(),
});

export const registryImagesReportSchema = z.looseObject({
  registry: z.looseObject({
    name: shortText(200),
    host: z.string().refine((h) => parseRegistryLocation(h) !== null, "Expected a registry host with an optional path, e.g. ghcr.io/acme"),
  }),
  images: z.array(registryImageSchema).max(MAX_REGISTRY_IMAGES),
});

export type RegistryImagesInput = z.input<typeof registryImagesReportSchema>;
export type MalwareVerdict = "clean" | "malicious" | "unknown";

export interface NormalizedRegistryImage {
  digest: string;
  registryHost: string;
  repository: string;
  /** registryHost/repository */
  name: string;
  /** Distinct, sorted. */
  tags: string[];
  pushedAt: string;
  signatureVerified: boolean;
  signer: string | null;
  /** Lower-cased ("cosign", "notation", …). */
  signatureMethod: string | null;
  malwareVerdict: MalwareVerdict | null;
  malwareScanner: string | null;
  /** Distinct, sorted. */
  malwareSignatures: string[];
  scannedAt: string | null;
}

export type MalwareFinding = NormalizedFinding & { type: "MALWARE"; severity: "CRITICAL"; imageDigest: string };

export interface RegistryImagesReport {
  registry: { name: string; host: string; registryHost: string; pathPrefix: string | null };
  images: NormalizedRegistryImage[];
  /** One per malicious digest (a digest listed under several repositories is still one finding). */
  findings: MalwareFinding[];
  stats: { images: number; malicious: number; unsigned: number; unscanned: number };
}

/** Validates and normalises a registry connector's image list. Throws AppError VALIDATION_FAILED with field paths. */
export function parseRegistryImages(json: unknown): RegistryImagesReport {
  const parsed = registryImagesReportSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "The image list is invalid", {
      fields: parsed.error.issues.slice(0, MAX_FIELD_ERRORS).map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message })),
    });
  }
  const { registry, images } = parsed.data;
  // The schema's refine guarantees this parses.
  const location = parseRegistryLocation(registry.host) ?? { registryHost: registry.host, pathPrefix: null };

  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  const normalized: NormalizedRegistryImage[] = [];
  images.forEach((img, index) => {
    if (errors.length >= MAX_FIELD_ERRORS) return;
    const located = locate(img.repository, img.digest, location);
    if (typeof located === "string") {
      errors.push({ path: `images.${index}.repository`, message: located });
      return;
    }
    const key = `${located.registryHost}/${located.repository}@${img.digest}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ path: `images.${index}.digest`, message: `Duplicate image (same repository and digest as images.${first})` });
      return;
    }
    seen.set(key, index);
    const scan = img.malwareScan;
    normalized.push({
      digest: img.digest,
      registryHost: located.registryHost,
      repository: located.repository,
      name: `${located.registryHost}/${located.repository}`,
      tags: distinctSorted(img.tags),
      pushedAt: new Date(img.pushedAt).toISOString(),
      signatureVerified: img.signature.verified,
      signer: img.signature.signer ?? null,
      signatureMethod: img.signature.method?.toLowerCase() ?? null,
      malwareVerdict: scan?.verdict ?? null,
      malwareScanner: scan?.scanner ?? null,
      malwareSignatures: distinctSorted(scan?.signatures ?? []),
      scannedAt: scan?.scannedAt ? new Date(scan.scannedAt).toISOString() : null,
    });
  });
  if (errors.length > 0) throw new AppError("VALIDATION_FAILED", "The image list is invalid", { fields: errors });

  normalized.sort((a, b) => cmp(a.name, b.name) || cmp(a.digest, b.digest));
  const findings = new Map<string, MalwareFinding>();
  for (const img of normalized) {
    if (img.malwareVerdict !== "malicious") continue;
    const f = malwareFinding(img);
    if (!findings.has(f.fingerprint)) findings.set(f.fingerprint, f);
  }
  return {
    registry: { name: registry.name, host: registry.host, ...location },
    images: normalized,
    findings: [...findings.values()].sort((a, b) => cmp(a.imageDigest, b.imageDigest)),
    stats: {
      images: normalized.length,
      malicious: normalized.filter((i) => i.malwareVerdict === "malicious").length,
      unsigned: normalized.filter((i) => !i.signatureVerified).length,
      unscanned: normalized.filter((i) => i.malwareVerdict === null || i.malwareVerdict === "unknown").length,
    },
  };
}

/**
 * Resolves a listed repository against the registry. It may be fully qualified ("ghcr.io/acme/api"), relative
 * to the host ("acme/api"), or relative to the registry's path prefix ("api" under "ghcr.io/acme").
 * Answers an error message when the repository is invalid or lives on another registry.
 */
function locate(repository: string, digest: string, location: { registryHost: string; pathPrefix: string | null }): { registryHost: string; repository: string } | string {
  const qualified = parseRegistryLocation(repository.split("/")[0] ?? "") !== null && repository.includes("/");
  let path = repository;
  if (qualified) {
    const ref = tryRef(`${repository}@${digest}`);
    if (typeof ref === "string") return ref;
    if (ref.registryHost.toLowerCase() !== location.registryHost.toLowerCase()) return `Repository is on ${ref.registryHost}, not on this registry's host ${location.registryHost}`;
    path = repository.slice(repository.indexOf("/") + 1);
  }
  if (location.pathPrefix && path !== location.pathPrefix && !path.startsWith(`${location.pathPrefix}/`)) path = `${location.pathPrefix}/${path}`;
  const ref = tryRef(`${location.registryHost}/${path}@${digest}`);
  if (typeof ref === "string") return ref;
  return { registryHost: ref.registryHost, repository: ref.repository };
}

function tryRef(value: string) {
  try {
    return parseImageRef(value);
  } catch (err) {
    if (!(err instanceof ImageRefError)) throw err;
    return err.message.slice(err.message.lastIndexOf(": ") + 2);
  }
}

function malwareFinding(img: NormalizedRegistryImage): MalwareFinding {
  const ruleId = img.malwareSignatures[0] ?? "malware";
  const shown = img.malwareSignatures.slice(0, 3).join(", ");
  const more = img.malwareSignatures.length > 3 ? ` (+${img.malwareSignatures.length - 3} more)` : "";
  return {
    fingerprint: fingerprint("MALWARE", ruleId, img.digest),
    type: "MALWARE",
    severity: "CRITICAL",
    title: img.malwareSignatures.length > 0 ? `Malware in image: ${shown}${more}` : "Malware in image",
    description: `${img.malwareScanner ?? "The registry's malware scanner"} reported ${img.name}@${img.digest} as malicious.`,
    ruleId,
    source: "registry",
    packageName: null,
    packageVersion: null,
    fixedVersion: null,
    fixable: false,
    cvssScore: null,
    mitreTechniques: [MALICIOUS_IMAGE_TECHNIQUE],
    evidence: { scanner: img.malwareScanner, signatures: img.malwareSignatures, scannedAt: img.scannedAt },
    remediation: "Stop every workload running this digest, delete it from the registry, and rebuild from a trusted base image.",
    target: `${img.name}@${img.digest}`,
    imageDigest: img.digest,
  };
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
