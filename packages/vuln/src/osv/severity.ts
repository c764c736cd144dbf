import type { RecordIssue, Severity } from "../types.ts";
import { CVSS_VERSION_RANK, isCvssSeverityType, scoreCvssVector, severityFromScore } from "./cvss.ts";
import type { CvssVersion } from "./cvss.ts";
import type { OsvRecord, OsvSeverityEntry } from "./schema.ts";

// Severity of an advisory, from the most to the least precise source:
//  1. CVSS vectors in `severity[]` and `affected[].severity[]`: the newest CVSS version wins; among
//     vectors of that version the highest score (an advisory is as severe as its worst package).
//  2. The record's own qualitative rating: `database_specific.severity` (GHSA), then an "Ubuntu" entry.
//  3. Per-package ratings: `affected[].ecosystem_specific|database_specific` `severity` or `urgency`
//     (Ubuntu priorities, Debian urgencies) and "Ubuntu" entries in `affected[].severity`; the worst wins.
// An unusable vector or an unknown severity type is a warning, never a reason to reject the record.

export interface SeverityResult {
  severity: Severity | null;
  cvssScore: number | null;
  cvssVector: string | null;
}

export type WarnFn = (path: RecordIssue["path"], message: string) => void;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { INFO: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

// Lower-cased qualitative ratings seen in OSV feeds. GHSA: LOW/MODERATE/HIGH/CRITICAL; Ubuntu priorities
// negligible..critical; Debian urgencies unimportant/low/medium/high (with "*" markers); Red Hat
// Low/Moderate/Important/Critical. "negligible" and "unimportant" map to LOW like Trivy does, so the same
// package does not change severity between a scan result and an advisory. Anything else ("not yet
// assigned", "untriaged", "end-of-life") carries no rating and is ignored.
const QUALITATIVE: Readonly<Record<string, Severity>> = {
  critical: "CRITICAL",
  high: "HIGH",
  important: "HIGH",
  moderate: "MEDIUM",
  medium: "MEDIUM",
  low: "LOW",
  negligible: "LOW",
  unimportant: "LOW",
  none: "INFO",
  info: "INFO",
  informational: "INFO",
};

/** A free-text rating → Severity, or null when it names none. */
export function severityFromLabel(label: unknown): Severity | null {
  if (typeof label !== "string") return null;
  const key = label.trim().replace(/\*+$/, "").trim().toLowerCase();
  return Object.hasOwn(QUALITATIVE, key) ? (QUALITATIVE[key] ?? null) : null;
}

function worse(a: Severity | null, b: Severity | null): Severity | null {
  if (a === null) return b;
  if (b === null) return a;
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

function ownValue(obj: Record<string, unknown> | null | undefined, key: string): unknown {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

interface CvssPick {
  version: CvssVersion;
  score: number;
  vector: string;
}

/** Walks one severity[] list: scores CVSS entries, collects Ubuntu ratings, warns about the rest. */
function scanSeverityList(
  entries: OsvSeverityEntry[] | null | undefined,
  basePath: RecordIssue["path"],
  warn: WarnFn,
  onCvss: (pick: CvssPick) => void,
): Severity | null {
  let label: Severity | null = null;
  for (const [i, entry] of (entries ?? []).entries()) {
    const path = [...basePath, i, "score"];
    if (isCvssSeverityType(entry.type)) {
      const result = scoreCvssVector(entry.type, entry.score.trim());
      if (result.ok) onCvss({ version: result.version, score: result.baseScore, vector: result.vector });
      else warn(path, `${result.message}; ignored`);
    } else if (entry.type === "Ubuntu") {
      const s = severityFromLabel(entry.score);
      if (s === null) warn(path, "unknown Ubuntu priority; ignored");
      label = worse(label, s);
    } else {
      warn([...basePath, i, "type"], `unknown severity type "${entry.type.slice(0, 64)}"; ignored`);
    }
  }
  return label;
}

export function pickSeverity(record: OsvRecord, warn: WarnFn): SeverityResult {
  const cvss: { best: CvssPick | null } = { best: null };
  const consider = (pick: CvssPick) => {
    const best = cvss.best;
    if (
      best === null ||
      CVSS_VERSION_RANK[pick.version] > CVSS_VERSION_RANK[best.version] ||
      (pick.version === best.version && pick.score > best.score)
    ) {
      cvss.best = pick;
    }
  };

  const topUbuntu = scanSeverityList(record.severity, ["severity"], warn, consider);
  let packageLabel: Severity | null = null;
  for (const [i, a] of (record.affected ?? []).entries()) {
    const ubuntu = scanSeverityList(a.severity, ["affected", i, "severity"], warn, consider);
    packageLabel = worse(packageLabel, ubuntu);
    for (const obj of [a.ecosystem_specific, a.database_specific]) {
      packageLabel = worse(packageLabel, severityFromLabel(ownValue(obj, "severity")));
      packageLabel = worse(packageLabel, severityFromLabel(ownValue(obj, "urgency")));
    }
  }

  const chosen = cvss.best;
  if (chosen) return { severity: severityFromScore(chosen.score), cvssScore: chosen.score, cvssVector: chosen.vector };
  const label = severityFromLabel(ownValue(record.database_specific, "severity")) ?? topUbuntu ?? packageLabel;
  return { severity: label, cvssScore: null, cvssVector: null };
}
