import { type AttackCell } from "@bulwark/core";

// URLs from the compliance page into the lists that explain a number. The workloads list takes
// `practice` + `compliant` and `pssLevel` (inventory pages); the findings explorer takes repeated
// `technique` and a cluster name (the findings URL contract).

function query(params: Array<[string, string | undefined]>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of params) if (v !== undefined) sp.append(k, v);
  return sp.toString();
}

export function practiceHref(practice: string, cluster: string | null): string {
  return `/workloads?${query([["practice", practice], ["compliant", "false"], ["cluster", cluster ?? undefined]])}`;
}

export function pssHref(cluster: string, namespace?: string): string {
  return `/workloads?${query([["cluster", cluster], ["namespace", namespace], ["pssLevel", "privileged"]])}`;
}

/** A technique cell's findings: the technique and its listed sub-techniques, whose findings the cell counts too. */
export function techniqueHref(cell: Pick<AttackCell, "id" | "subTechniques">, cluster: string | null): string {
  return `/findings?${query([...[cell.id, ...cell.subTechniques.map((s) => s.id)].map((id): [string, string] => ["technique", id]), ["cluster", cluster ?? undefined]])}`;
}

export function subTechniqueHref(id: string, cluster: string | null): string {
  return `/findings?${query([["technique", id], ["cluster", cluster ?? undefined]])}`;
}

/** "42%" (whole percent, "—" for no ratio); 99.6% shows as 99%, never as a misleading 100%. */
export function percent(ratio: number | null): string {
  if (ratio === null) return "—";
  const p = ratio >= 1 ? 100 : Math.floor(ratio * 100);
  return `${p}%`;
}

/** Heat levels for the matrix: the colour's meaning is also written in each cell and in the legend. */
export const HEAT_LEVELS = [
  { level: 0, label: "none", min: 0, max: 0 },
  { level: 1, label: "few", min: 1, max: 9 },
  { level: 2, label: "some", min: 10, max: 99 },
  { level: 3, label: "many", min: 100, max: 999 },
  { level: 4, label: "very many", min: 1000, max: Number.POSITIVE_INFINITY },
] as const;

export function heatLevel(open: number): (typeof HEAT_LEVELS)[number] {
  return HEAT_LEVELS.find((h) => open >= h.min && open <= h.max) ?? HEAT_LEVELS[0];
}
