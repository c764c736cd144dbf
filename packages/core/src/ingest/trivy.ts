import { ecosystemFromPurl, ecosystemFromTrivyType, ecosystemOfPurl, parsePurl, sourcePackage } from "./ecosystem.ts";
import { fingerprint } from "./fingerprint.ts";
import { SECRET_TECHNIQUES, canonicalCheckId, misconfigTechniques } from "./mitre.ts";
import {
  type ImageIdentity,
  type JsonObject,
  type NormalizedFinding,
  type NormalizedPackage,
  type OsInfo,
  dedupePackages,
  isPlainObject,
  parseOrThrow,
  pickImageDigest,
  validationError,
} from "./normalized.ts";
import { hashSecret, isMasked, maskSecret } from "./secrets.ts";
import { severityFromScanner } from "./severity.ts";
import {
  TRIVY_LIMITS,
  TrivyReport,
  type TrivyCvss,
  type TrivyMisconfiguration,
  type TrivyResult,
  type TrivySecret,
  type TrivyVulnerability,
} from "./trivy-schema.ts";

export const TRIVY_SOURCE = "trivy";
const MAX_EVIDENCE_REFERENCES = 20;

export interface ParsedTrivyReport {
  artifact: { name: string | null; type: string | null };
  /** Present when the report identifies an image (by digest or image id). */
  image: ImageIdentity | null;
  os: (OsInfo & { eosl: boolean }) | null;
  packages: NormalizedPackage[];
  findings: NormalizedFinding[];
  stats: {
    vulnerabilities: number;
    misconfigurations: number;
    secrets: number;
    packages: number;
    /** Exact repeats within the report (same fingerprint), dropped. */
    duplicates: number;
    /** Misconfiguration checks that did not fail (PASS, EXCEPTION). */
    passedChecks: number;
  };
}

interface Ctx {
  /** Image digest when known, else the artifact: findings of one digest share it. */
  targetIdentity: string;
  os: OsInfo | null;
  /** purl → ecosystem; one package has many vulnerabilities and purl parsing is comparatively slow. */
}

/** Parses and normalizes a Trivy JSON report (SchemaVersion 2). Throws AppError VALIDATION_FAILED. */
/** The checks that can refuse a report (shape, version, limits), without normalizing it: what the API runs. */
export function validateTrivyReport(json: unknown): TrivyReport {
  if (!isPlainObject(json)) throw validationError("(root)", "Expected a Trivy JSON report object");
  if (json.SchemaVersion !== 2) {
    const got = json.SchemaVersion === undefined ? "missing" : JSON.stringify(json.SchemaVersion);
    throw validationError("SchemaVersion", `Unsupported Trivy SchemaVersion (${got}); only SchemaVersion 2 is supported`, "Unsupported report format version");
  }
  const report = parseOrThrow(TrivyReport, json, "The Trivy report is invalid");
  const results = report.Results ?? [];
  const total = results.reduce((n, r) => n + (r.Vulnerabilities?.length ?? 0) + (r.Misconfigurations?.length ?? 0) + (r.Secrets?.length ?? 0), 0);
  if (total > TRIVY_LIMITS.findingsTotal) {
    throw validationError("Results", `Too many findings in one report (${total}; at most ${TRIVY_LIMITS.findingsTotal})`);
  }
  return report;
}

export function parseTrivyReport(json: unknown): ParsedTrivyReport {
  const report = validateTrivyReport(json);
  const results = report.Results ?? [];

  const meta = report.Metadata;
  const os = meta?.OS ? { family: meta.OS.Family, name: meta.OS.Name ?? null, eosl: meta.OS.EOSL ?? false } : null;
  const repoDigests = meta?.RepoDigests ?? [];
  const repoTags = meta?.RepoTags ?? [];
  const imageId = meta?.ImageID ?? null;
  const artifactName = report.ArtifactName ?? null;
  const picked = pickImageDigest({ repoDigests, reference: artifactName, imageId });
  const image: ImageIdentity | null = picked.digest
    ? { name: meta?.Reference ?? artifactName, ...picked, imageId, repoTags: [...repoTags], repoDigests: [...repoDigests] }
    : null;

  const ctx: Ctx = {
    targetIdentity: picked.digest ?? `${report.ArtifactType ?? "artifact"}:${artifactName ?? ""}`,
    os: os ? { family: os.family, name: os.name } : null,
  };

  const findings: NormalizedFinding[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let passedChecks = 0;
  const counts = { vulnerabilities: 0, misconfigurations: 0, secrets: 0 };
  const push = (f: NormalizedFinding, kind: keyof typeof counts) => {
    if (seen.has(f.fingerprint)) {
      duplicates++;
      return;
    }
    seen.add(f.fingerprint);
    findings.push(f);
    counts[kind]++;
  };

  const packages: NormalizedPackage[] = [];
  for (const result of results) {
    for (const p of result.Packages ?? []) packages.push(normalizePackage(p, result, ctx));
    for (const v of result.Vulnerabilities ?? []) push(vulnerabilityFinding(v, result, ctx), "vulnerabilities");
    for (const m of result.Misconfigurations ?? []) {
      if (m.Status.toUpperCase() !== "FAIL") {
        passedChecks++;
        continue;
      }
      push(misconfigFinding(m, result, ctx), "misconfigurations");
    }
    for (const s of result.Secrets ?? []) push(secretFinding(s, result, ctx), "secrets");
  }
  const uniquePackages = dedupePackages(packages);

  return {
    artifact: { name: artifactName, type: report.ArtifactType ?? null },
    image,
    os,
    packages: uniquePackages,
    findings,
    stats: { ...counts, packages: uniquePackages.length, duplicates, passedChecks },
  };
}

function normalizePackage(p: NonNullable<TrivyResult["Packages"]>[number], result: TrivyResult, ctx: Ctx): NormalizedPackage {
  const purlText = p.Identifier?.PURL ?? null;
  const purl = purlText ? parsePurl(purlText) : null;
  let version = p.Version ?? "";
  if (p.Release) version = `${version}-${p.Release}`;
  if (p.Epoch && p.Epoch > 0) version = `${p.Epoch}:${version}`;
  const licenses = p.Licenses ?? [];
  const src = sourcePackage(p.Name, version, p.SrcName, p.SrcVersion, p.SrcRelease, p.SrcEpoch);
  return {
    ecosystem: purl ? ecosystemFromPurl(purl) : ecosystemFromTrivyType(result.Type ?? null, ctx.os),
    name: p.Name,
    version,
    purl: purl ? purlText : null,
    license: licenses.length > 0 ? licenses.join(", ") : null,
    ...src,
  };
}

/** nvd V3 first, then the vendor Trivy took the severity from, then any other source; v3 before v4 before v2. */
export function pickCvss(cvss: Record<string, TrivyCvss> | null | undefined, severitySource: string | null | undefined): { score: number; vector: string | null; source: string } | null {
  if (!cvss) return null;
  const sources = ["nvd", ...(severitySource && severitySource !== "nvd" ? [severitySource] : []), ...Object.keys(cvss).sort()];
  const versions = [
    ["V3Score", "V3Vector"],
    ["V40Score", "V40Vector"],
    ["V2Score", "V2Vector"],
  ] as const;
  for (const [scoreKey, vectorKey] of versions) {
    for (const source of sources) {
      const entry = cvss[source];
      const score = entry?.[scoreKey];
      if (typeof score === "number") return { score, vector: entry?.[vectorKey] ?? null, source };
    }
  }
  return null;
}

function packageLocation(result: TrivyResult, pkgPath: string | null | undefined): string {
  // OS package results are titled after the scanned reference ("nginx:1.25 (debian 12.1)"); the same
  // digest scanned by another name must give the same fingerprint, so the class stands in for it.
  if (pkgPath) return pkgPath;
  return result.Class === "os-pkgs" ? "os-pkgs" : result.Target;
}

function vulnerabilityEcosystem(purl: string | null, result: TrivyResult, ctx: Ctx): string {
  return (purl ? ecosystemOfPurl(purl) : null) ?? ecosystemFromTrivyType(result.Type ?? null, ctx.os);
}

function vulnerabilityFinding(v: TrivyVulnerability, result: TrivyResult, ctx: Ctx): NormalizedFinding {
  const installed = v.InstalledVersion ?? "";
  const fixed = v.FixedVersion?.trim() ? v.FixedVersion.trim() : null;
  const cvss = pickCvss(v.CVSS, v.SeveritySource);
  const purl = v.PkgIdentifier?.PURL ?? null;
  const evidence: JsonObject = {
    pkgId: v.PkgID ?? null,
    pkgPath: v.PkgPath ?? null,
    purl,
    ecosystem: vulnerabilityEcosystem(purl, result, ctx),
    resultTarget: result.Target,
    resultClass: result.Class ?? null,
    status: v.Status ?? null,
    severitySource: v.SeveritySource ?? null,
    cvssVector: cvss?.vector ?? null,
    cvssSource: cvss?.source ?? null,
    cweIds: [...(v.CweIDs ?? [])],
    primaryUrl: v.PrimaryURL ?? null,
    references: (v.References ?? []).slice(0, MAX_EVIDENCE_REFERENCES),
    dataSource: v.DataSource?.ID ?? null,
    layerDigest: v.Layer?.Digest ?? null,
    publishedDate: v.PublishedDate ?? null,
    lastModifiedDate: v.LastModifiedDate ?? null,
  };
  return {
    fingerprint: fingerprint("VULNERABILITY", v.VulnerabilityID, ctx.targetIdentity, v.PkgName, installed, packageLocation(result, v.PkgPath)),
    type: "VULNERABILITY",
    severity: severityFromScanner(v.Severity, cvss?.score ?? null),
    title: v.Title?.trim() ? v.Title.trim() : `${v.VulnerabilityID} in ${v.PkgName}`,
    description: v.Description ?? null,
    ruleId: v.VulnerabilityID,
    source: TRIVY_SOURCE,
    packageName: v.PkgName,
    packageVersion: installed || null,
    fixedVersion: fixed,
    fixable: fixed !== null,
    cvssScore: cvss?.score ?? null,
    mitreTechniques: [],
    evidence,
    remediation: fixed ? `Upgrade ${v.PkgName} to ${fixed} or later.` : null,
    target: v.PkgPath ?? result.Target,
  };
}

function misconfigFinding(m: TrivyMisconfiguration, result: TrivyResult, ctx: Ctx): NormalizedFinding {
  // AVD-DS-0002 (older Trivy) and DS-0002 (newer) are the same check.
  const ruleId = canonicalCheckId(m.AVDID ?? m.ID);
  const resource = m.CauseMetadata?.Resource ?? null;
  const title = m.Title?.trim() ? m.Title.trim() : ruleId;
  const evidence: JsonObject = {
    checkId: m.ID,
    avdId: m.AVDID ?? null,
    checkType: m.Type ?? null,
    message: m.Message ?? null,
    namespace: m.Namespace ?? null,
    resource,
    provider: m.CauseMetadata?.Provider ?? null,
    service: m.CauseMetadata?.Service ?? null,
    startLine: m.CauseMetadata?.StartLine ?? null,
    endLine: m.CauseMetadata?.EndLine ?? null,
    resultClass: result.Class ?? null,
    resultType: result.Type ?? null,
    primaryUrl: m.PrimaryURL ?? null,
    references: (m.References ?? []).slice(0, MAX_EVIDENCE_REFERENCES),
  };
  return {
    fingerprint: fingerprint("MISCONFIGURATION", ruleId, ctx.targetIdentity, result.Target, resource),
    type: "MISCONFIGURATION",
    severity: severityFromScanner(m.Severity),
    title,
    description: m.Description ?? null,
    ruleId,
    source: TRIVY_SOURCE,
    packageName: null,
    packageVersion: null,
    fixedVersion: null,
    fixable: false,
    cvssScore: null,
    mitreTechniques: misconfigTechniques(ruleId, title),
    evidence,
    remediation: m.Resolution ?? null,
    target: result.Target,
  };
}

/**
 * The clear secret is never kept. Trivy masks it with asterisks in Match and in the cause lines; if a
 * scanner did not, the clear text is reduced to maskSecret() and a hash before anything is stored.
 */
function secretEvidence(s: TrivySecret): { maskedMatch: string | null; secretHash: string | null } {
  const causeLines = (s.Code?.Lines ?? []).filter((l) => l.IsCause && l.Content).map((l) => l.Content ?? "");
  const clear = [s.Match ?? "", ...causeLines].find((text) => text.trim() !== "" && !isMasked(text)) ?? null;
  if (s.Match && isMasked(s.Match)) return { maskedMatch: s.Match, secretHash: clear ? hashSecret(clear) : null };
  return { maskedMatch: clear ? maskSecret(clear) : null, secretHash: clear ? hashSecret(clear) : null };
}

function secretFinding(s: TrivySecret, result: TrivyResult, ctx: Ctx): NormalizedFinding {
  const file = result.Target;
  const line = s.StartLine ?? null;
  const { maskedMatch, secretHash } = secretEvidence(s);
  const title = s.Title?.trim() ? s.Title.trim() : s.RuleID;
  const evidence: JsonObject = {
    category: s.Category ?? null,
    file,
    startLine: line,
    endLine: s.EndLine ?? null,
    maskedMatch,
    secretHash,
    layerDigest: s.Layer?.Digest ?? null,
  };
  return {
    fingerprint: fingerprint("SECRET", s.RuleID, ctx.targetIdentity, file, line),
    type: "SECRET",
    severity: severityFromScanner(s.Severity),
    title,
    description: `${s.Category ?? "Secret"} (${title}) found in ${file}${line !== null ? ` at line ${line}` : ""}`,
    ruleId: s.RuleID,
    source: TRIVY_SOURCE,
    packageName: null,
    packageVersion: null,
    fixedVersion: null,
    fixable: false,
    cvssScore: null,
    mitreTechniques: [...SECRET_TECHNIQUES],
    evidence,
    remediation: `Remove the secret from ${file}, rotate the credential, and inject it at runtime instead.`,
    target: file,
  };
}
