// Severity as Bulwark stores it (the Prisma `Severity` enum), and the mappings from each source.

export const SEVERITY_LEVELS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export type Severity = (typeof SEVERITY_LEVELS)[number];

const RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFO: 0 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITY_LEVELS as readonly string[]).includes(value);
}

/** CVSS v3 qualitative rating of a base score (FIRST CVSS v3.1 spec, table 14). null when not a score. */
export function severityFromCvss(score: number | null | undefined): Severity | null {
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 10) return null;
  if (score >= 9.0) return "CRITICAL";
  if (score >= 7.0) return "HIGH";
  if (score >= 4.0) return "MEDIUM";
  if (score >= 0.1) return "LOW";
  return "INFO";
}

/**
 * Trivy (and most scanners) say CRITICAL/HIGH/MEDIUM/LOW/UNKNOWN. UNKNOWN or anything unrecognised
 * falls back to the CVSS score; with no score either the finding is INFO, never dropped.
 */
export function severityFromScanner(label: string | null | undefined, cvssScore?: number | null): Severity {
  const upper = typeof label === "string" ? label.trim().toUpperCase() : "";
  switch (upper) {
    case "CRITICAL":
      return "CRITICAL";
    case "HIGH":
    case "IMPORTANT":
      return "HIGH";
    case "MEDIUM":
    case "MODERATE":
      return "MEDIUM";
    case "LOW":
      return "LOW";
    case "INFO":
    case "INFORMATIONAL":
    case "NEGLIGIBLE":
      return "INFO";
    default:
      return severityFromCvss(cvssScore) ?? "INFO";
  }
}

const FALCO_PRIORITY: Record<string, Severity> = {
  emergency: "CRITICAL",
  alert: "CRITICAL",
  critical: "CRITICAL",
  error: "HIGH",
  warning: "MEDIUM",
  notice: "LOW",
  informational: "INFO",
  info: "INFO",
  debug: "INFO",
};

/** Falco priority (any case) → severity; null for a priority Falco does not define. */
export function severityFromFalcoPriority(priority: string): Severity | null {
  return FALCO_PRIORITY[priority.trim().toLowerCase()] ?? null;
}
