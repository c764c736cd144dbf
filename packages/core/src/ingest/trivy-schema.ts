import { z } from "zod";

// The subset of Trivy's JSON report (SchemaVersion 2, pkg/types/report.go) Bulwark reads. Unknown keys
// are dropped; arrays are capped so an absurd report fails validation instead of exhausting memory.

export const TRIVY_LIMITS = {
  results: 10_000,
  perResult: 100_000,
  findingsTotal: 250_000,
  references: 1_000,
} as const;

const str = z.string().max(65_536);
const optStr = str.nullish();
const strList = (max: number) => z.array(str).max(max).nullish();

const Cvss = z.object({
  V2Vector: optStr,
  V3Vector: optStr,
  V40Vector: optStr,
  V2Score: z.number().min(0).max(10).nullish(),
  V3Score: z.number().min(0).max(10).nullish(),
  V40Score: z.number().min(0).max(10).nullish(),
});
export type TrivyCvss = z.output<typeof Cvss>;

const Layer = z.object({ Digest: optStr, DiffID: optStr }).nullish();
const Identifier = z.object({ PURL: optStr, UID: optStr }).nullish();

export const TrivyPackage = z.object({
  ID: optStr,
  Name: str.min(1),
  Version: str.nullish(),
  Release: optStr,
  Epoch: z.number().int().nullish(),
  SrcName: optStr,
  SrcVersion: optStr,
  SrcRelease: optStr,
  SrcEpoch: z.number().int().nullish(),
  Identifier,
  Licenses: strList(100),
  FilePath: optStr,
});

export const TrivyVulnerability = z.object({
  VulnerabilityID: str.min(1),
  PkgID: optStr,
  PkgName: str.min(1),
  PkgPath: optStr,
  PkgIdentifier: Identifier,
  InstalledVersion: str.nullish(),
  FixedVersion: optStr,
  Status: optStr,
  Severity: optStr,
  SeveritySource: optStr,
  PrimaryURL: optStr,
  Title: optStr,
  Description: optStr,
  CweIDs: strList(100),
  CVSS: z.record(z.string(), Cvss).nullish(),
  References: strList(TRIVY_LIMITS.references),
  PublishedDate: optStr,
  LastModifiedDate: optStr,
  DataSource: z.object({ ID: optStr, Name: optStr, URL: optStr }).nullish(),
  Layer,
});
export type TrivyVulnerability = z.output<typeof TrivyVulnerability>;

export const TrivyMisconfiguration = z.object({
  Type: optStr,
  ID: str.min(1),
  AVDID: optStr,
  Title: optStr,
  Description: optStr,
  Message: optStr,
  Namespace: optStr,
  Resolution: optStr,
  Severity: optStr,
  PrimaryURL: optStr,
  References: strList(TRIVY_LIMITS.references),
  Status: str,
  CauseMetadata: z
    .object({
      Resource: optStr,
      Provider: optStr,
      Service: optStr,
      StartLine: z.number().int().nullish(),
      EndLine: z.number().int().nullish(),
    })
    .nullish(),
});
export type TrivyMisconfiguration = z.output<typeof TrivyMisconfiguration>;

// Code.Lines is deliberately not read: its non-cause lines can hold secrets in clear (see
// secrets.json.golden, line 5). Only the cause lines are looked at, and only to detect a clear value.
export const TrivySecret = z.object({
  RuleID: str.min(1),
  Category: optStr,
  Severity: optStr,
  Title: optStr,
  StartLine: z.number().int().nullish(),
  EndLine: z.number().int().nullish(),
  Match: optStr,
  Offset: z.number().int().nullish(),
  Layer,
  Code: z
    .object({
      Lines: z.array(z.object({ Content: optStr, IsCause: z.boolean().nullish() })).max(1_000).nullish(),
    })
    .nullish(),
});
export type TrivySecret = z.output<typeof TrivySecret>;

export const TrivyResult = z.object({
  Target: str,
  Class: optStr,
  Type: optStr,
  Packages: z.array(TrivyPackage).max(TRIVY_LIMITS.perResult).nullish(),
  Vulnerabilities: z.array(TrivyVulnerability).max(TRIVY_LIMITS.perResult).nullish(),
  Misconfigurations: z.array(TrivyMisconfiguration).max(TRIVY_LIMITS.perResult).nullish(),
  Secrets: z.array(TrivySecret).max(TRIVY_LIMITS.perResult).nullish(),
});
export type TrivyResult = z.output<typeof TrivyResult>;

export const TrivyReport = z.object({
  SchemaVersion: z.literal(2),
  ArtifactName: optStr,
  ArtifactType: optStr,
  CreatedAt: optStr,
  Metadata: z
    .object({
      OS: z.object({ Family: str.min(1), Name: optStr, EOSL: z.boolean().nullish() }).nullish(),
      ImageID: optStr,
      RepoTags: strList(1_000),
      RepoDigests: strList(1_000),
      Reference: optStr,
    })
    .nullish(),
  Results: z.array(TrivyResult).max(TRIVY_LIMITS.results).nullish(),
});
export type TrivyReport = z.output<typeof TrivyReport>;
