// Workload.riskFactors is JSON written by the worker's risk refresh; it is read defensively so a row
// written by an older version (or by hand) shows what it can instead of breaking the page.

export interface RiskFactorView {
  key: string;
  points: number;
  reason: string;
}

export function parseRiskFactors(json: unknown): RiskFactorView[] {
  if (!Array.isArray(json)) return [];
  return json
    .flatMap((f): RiskFactorView[] => {
      if (!f || typeof f !== "object") return [];
      const { key, points, reason } = f as Record<string, unknown>;
      if (typeof points !== "number" || !Number.isFinite(points)) return [];
      return [{ key: typeof key === "string" ? key : "other", points, reason: typeof reason === "string" ? reason : String(key ?? "") }];
    })
    .sort((a, b) => b.points - a.points);
}

/** Score bands for the label next to the number (the number itself is what matters). */
export function riskBand(score: number): { label: string; tone: "danger" | "warn" | "muted" } {
  if (score >= 70) return { label: "High", tone: "danger" };
  if (score >= 40) return { label: "Elevated", tone: "warn" };
  return { label: "Low", tone: "muted" };
}
