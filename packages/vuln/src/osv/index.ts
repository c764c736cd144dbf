export { parseOsvRecord } from "./parse-record.ts";
export { parseOsvJsonText } from "./json-text.ts";
export { OSV_LIMITS, OSV_ID_PREFIX } from "./schema.ts";
export { scoreCvssVector, severityFromScore, CVSS_VERSION_RANK, CVSS_VECTOR_PATTERNS } from "./cvss.ts";
export type { CvssScoreResult, CvssSeverityType, CvssVersion } from "./cvss.ts";
export { severityFromLabel } from "./severity.ts";
export { isExploitReference, isKevReference } from "./exploit.ts";
export { LANGUAGE_BY_PURL_TYPE, osvPackageName, packageFromPurl } from "./purl.ts";
export type { PurlPackage } from "./purl.ts";
