import * as cvssModule from "ae-cvss-calculator";
import type { Severity } from "../types.ts";

// CVSS base scores come from ae-cvss-calculator ({metæffekt}, Apache-2.0), which implements FIRST's
// v2.0, v3.0, v3.1 and v4.0 specifications (v4.0 via the official macro-vector lookup table).
// We only guard its input: it silently fills missing metrics with "X" and lets a repeated metric
// override the first, so vectors are checked against the OSV schema's patterns first.

type CvssLib = typeof cvssModule;

// The package ships a UMD bundle: Node's ESM loader exposes it only as `default`, while bundlers
// (Vite, webpack) also expose named exports. Accept both so this runs on the server and in the browser.
const lib: CvssLib =
  (cvssModule as { Cvss3P1?: unknown }).Cvss3P1 !== undefined
    ? cvssModule
    : (cvssModule as unknown as { default: CvssLib }).default;

export type CvssSeverityType = "CVSS_V2" | "CVSS_V3" | "CVSS_V4";
export type CvssVersion = "2.0" | "3.0" | "3.1" | "4.0";

/** Higher is newer; used to prefer the newest CVSS version an advisory carries. */
export const CVSS_VERSION_RANK: Readonly<Record<CvssVersion, number>> = { "2.0": 1, "3.0": 2, "3.1": 3, "4.0": 4 };

export type CvssScoreResult =
  | { ok: true; version: CvssVersion; baseScore: number; vector: string }
  | { ok: false; message: string };

// Patterns from the official OSV schema (ossf/osv-schema validation/schema.json, `$defs.severity`).
const V2_METRIC = String.raw`(AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|RC:(UC|UR|C|ND)|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))`;
const V3_METRIC = String.raw`(AV:[NALP]|AC:[LH]|PR:[NLH]|UI:[NR]|S:[UC]|[CIA]:[NLH]|E:[XUPFH]|RL:[XOTWU]|RC:[XURC]|[CIA]R:[XLMH]|MAV:[XNALP]|MAC:[XLH]|MPR:[XNLH]|MUI:[XNR]|MS:[XUC]|M[CIA]:[XNLH])`;
export const CVSS_VECTOR_PATTERNS: Readonly<Record<CvssSeverityType, RegExp>> = {
  CVSS_V2: new RegExp(`^(${V2_METRIC}/)*${V2_METRIC}$`),
  CVSS_V3: new RegExp(`^CVSS:3[.][01]/(${V3_METRIC}/)*${V3_METRIC}$`),
  CVSS_V4:
    /^CVSS:4[.]0\/AV:[NALP]\/AC:[LH]\/AT:[NP]\/PR:[NLH]\/UI:[NPA]\/VC:[HLN]\/VI:[HLN]\/VA:[HLN]\/SC:[HLN]\/SI:[HLN]\/SA:[HLN](\/E:[XAPU])?(\/CR:[XHML])?(\/IR:[XHML])?(\/AR:[XHML])?(\/MAV:[XNALP])?(\/MAC:[XLH])?(\/MAT:[XNP])?(\/MPR:[XNLH])?(\/MUI:[XNPA])?(\/MVC:[XNLH])?(\/MVI:[XNLH])?(\/MVA:[XNLH])?(\/MSC:[XNLH])?(\/MSI:[XNLHS])?(\/MSA:[XNLHS])?(\/S:[XNP])?(\/AU:[XNY])?(\/R:[XAUI])?(\/V:[XDC])?(\/RE:[XLMH])?(\/U:(X|Clear|Green|Amber|Red))?$/,
};

export function isCvssSeverityType(type: string): type is CvssSeverityType {
  return type === "CVSS_V2" || type === "CVSS_V3" || type === "CVSS_V4";
}

function hasRepeatedMetric(vector: string): boolean {
  const seen = new Set<string>();
  for (const part of vector.split("/")) {
    const key = part.split(":")[0] ?? "";
    if (key === "CVSS") continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Scores one OSV `severity[]` entry of a CVSS type. Never throws. */
export function scoreCvssVector(type: CvssSeverityType, vector: string): CvssScoreResult {
  if (!CVSS_VECTOR_PATTERNS[type].test(vector)) return { ok: false, message: `not a valid ${type} vector` };
  if (hasRepeatedMetric(vector)) return { ok: false, message: `${type} vector repeats a metric` };
  try {
    let version: CvssVersion;
    let score: number | undefined;
    let complete: boolean;
    if (type === "CVSS_V4") {
      const v = new lib.Cvss4P0(vector);
      version = "4.0";
      complete = v.isBaseFullyDefined();
      // CVSS-B (base metrics only): threat/environmental metrics in the vector must not move the base score.
      score = v.calculateScores().baseMetricsOnly;
    } else if (type === "CVSS_V3") {
      const is31 = vector.startsWith("CVSS:3.1/");
      const v = is31 ? new lib.Cvss3P1(vector) : new lib.Cvss3P0(vector);
      version = is31 ? "3.1" : "3.0";
      complete = v.isBaseFullyDefined();
      score = v.calculateScores().base;
    } else {
      const v = new lib.Cvss2(vector);
      version = "2.0";
      complete = v.isBaseFullyDefined();
      score = v.calculateScores().base;
    }
    if (!complete) return { ok: false, message: `${type} vector lacks base metrics` };
    if (score === undefined || !Number.isFinite(score) || score < 0 || score > 10) {
      return { ok: false, message: `${type} vector produced no base score` };
    }
    return { ok: true, version, baseScore: Math.round(score * 10) / 10, vector };
  } catch {
    return { ok: false, message: `${type} vector could not be scored` };
  }
}

/** FIRST's qualitative severity rating scale (CVSS v3.1/v4.0 specification); "None" maps to INFO. */
export function severityFromScore(score: number): Severity {
  if (score <= 0) return "INFO";
  if (score < 4) return "LOW";
  if (score < 7) return "MEDIUM";
  if (score < 9) return "HIGH";
  return "CRITICAL";
}
