import { type z } from "zod";
import { AppError } from "../errors.ts";
import { type Severity } from "./severity.ts";

// Shapes the format parsers produce. They mirror the Prisma models (ImagePackage, Finding,
// RuntimeEvent) so the storage step can upsert them without further mapping.

export const NORMALIZED_FINDING_TYPES = ["VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE", "RUNTIME", "POLICY_VIOLATION"] as const;
export type FindingType = (typeof NORMALIZED_FINDING_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface NormalizedPackage {
  /** OSV ecosystem, with the distro release where known: "Alpine:v3.10", "Debian:10", "npm", "Red Hat". */
  ecosystem: string;
  name: string;
  version: string;
  purl: string | null;
  license: string | null;
  /** Distro source package and its version when the binary differs (advisories name sources). */
  srcName?: string | null;
  srcVersion?: string | null;
}

export interface NormalizedFinding {
  /** sha256 hex of type|ruleId|target identity|package…; image findings include the image digest. */
  fingerprint: string;
  type: FindingType;
  severity: Severity;
  title: string;
  description: string | null;
  ruleId: string;
  source: string;
  packageName: string | null;
  packageVersion: string | null;
  fixedVersion: string | null;
  fixable: boolean;
  cvssScore: number | null;
  mitreTechniques: string[];
  evidence: JsonObject;
  remediation: string | null;
  /** File path, package path or result target the finding was reported against. */
  target: string;
}

export interface NormalizedRuntimeEvent {
  rule: string;
  priority: string;
  severity: Severity;
  source: string;
  time: Date;
  output: string;
  tags: string[];
  mitreTechniques: string[];
  /** ATT&CK tactic ids from `mitre_*` tags (kept apart: a tactic is not a technique). */
  mitreTactics: string[];
  cluster: string | null;
  namespace: string | null;
  pod: string | null;
  /** Owning workload guessed from the pod name (Deployment/ReplicaSet hash suffix stripped). */
  workload: string | null;
  container: { id: string | null; name: string | null } | null;
  image: string | null;
  hostname: string | null;
  uuid: string | null;
  /** Falco output_fields exactly as received. */
  fields: JsonObject;
  /** sha256 of rule|cluster|namespace|workload (or pod)|image: events sharing it form one RUNTIME finding. */
  aggregateKey: string;
  /** sha256 of the event's identity (Falco uuid, else rule|time|output|hostname): a re-sent event is stored once. */
  eventKey: string;
  /** The process the event names: proc.exepath, else proc.name (null for audit events and unknown processes). */
  process: string | null;
  /** proc.cmdline and user.name, as evidence of baseline anomalies. */
  cmdline: string | null;
  user: string | null;
  /** The container image's repository, normalized "registry/repository" (exception scopes match it). */
  imageRepository: string | null;
}

export interface ImageIdentity {
  name: string | null;
  /** Manifest digest when the report has one (RepoDigests, name@digest), else the image config id. */
  digest: string | null;
  digestSource: "repoDigest" | "reference" | "imageId" | null;
  imageId: string | null;
  repoTags: string[];
  repoDigests: string[];
}

export interface OsInfo {
  family: string;
  name: string | null;
}

/** Runs a zod schema; failures become VALIDATION_FAILED with dotted field paths (never a TypeError). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, message: string, pathPrefix: ReadonlyArray<string | number> = []): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("VALIDATION_FAILED", message, {
    fields: result.error.issues.slice(0, 50).map((i) => ({
      path: [...pathPrefix, ...i.path].map(String).join(".") || "(root)",
      message: i.message,
    })),
  });
}

export function validationError(path: string, message: string, summary = "The report is invalid"): AppError {
  return new AppError("VALIDATION_FAILED", summary, { fields: [{ path, message }] });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const DIGEST_RE = /^sha(256|384|512):[a-f0-9]{64,128}$/;

/** The digest of "repo@sha256:…", or of a bare "sha256:…"; null otherwise. */
export function digestOf(ref: string): string | null {
  const at = ref.lastIndexOf("@");
  const candidate = (at >= 0 ? ref.slice(at + 1) : ref).trim().toLowerCase();
  return DIGEST_RE.test(candidate) ? candidate : null;
}

/** Picks the image's identity: a registry manifest digest first, the local image config id last. */
export function pickImageDigest(input: { repoDigests: readonly string[]; reference: string | null; imageId: string | null }): Pick<ImageIdentity, "digest" | "digestSource"> {
  for (const rd of input.repoDigests) {
    const d = digestOf(rd);
    if (d && rd.includes("@")) return { digest: d, digestSource: "repoDigest" };
  }
  if (input.reference && input.reference.includes("@")) {
    const d = digestOf(input.reference);
    if (d) return { digest: d, digestSource: "reference" };
  }
  const id = input.imageId ? digestOf(input.imageId) : null;
  if (id) return { digest: id, digestSource: "imageId" };
  return { digest: null, digestSource: null };
}

/** Deduplicates packages on the ImagePackage unique key (ecosystem, name, version); first wins. */
export function dedupePackages(packages: readonly NormalizedPackage[]): NormalizedPackage[] {
  const seen = new Set<string>();
  const out: NormalizedPackage[] = [];
  for (const p of packages) {
    const key = `${p.ecosystem}\u001f${p.name}\u001f${p.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
