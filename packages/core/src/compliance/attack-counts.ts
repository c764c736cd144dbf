import { type Db, plainSql, Prisma, type Severity } from "@bulwark/db";
import { ATTACK_CONTAINERS_IDS, ATTACK_CONTAINERS_MATRIX, ATTACK_CONTAINERS_VERSION } from "./attack-containers.ts";

// Open findings per ATT&CK technique. Only runtime, policy, admission and some misconfiguration
// findings carry technique ids (vulnerabilities do not), so the scan reads the few open findings with
// a non-empty mitreTechniques rather than the million image findings around them.
// A sub-technique's findings also count toward its parent's cell; a finding tagged with two
// sub-techniques of one parent counts once there.

export interface TechniqueCount {
  id: string;
  open: number;
  maxSeverity: Severity | null;
}

export interface AttackCell extends TechniqueCount {
  name: string;
  enterprise: boolean;
  subTechniques: Array<TechniqueCount & { name: string }>;
}

export interface AttackMatrixView {
  version: string;
  tactics: Array<{ id: string; name: string; techniques: AttackCell[] }>;
  /** Technique ids on open findings that the matrix has no cell for (e.g. from custom Falco tags). */
  other: TechniqueCount[];
}

/** Counts per technique id, including parents of sub-techniques (rolled up). */
export async function countOpenByTechnique(db: Db, orgId: string, clusterId?: string): Promise<Map<string, TechniqueCount>> {
  // Image findings belong to a cluster through the live workloads that run the image.
  const inCluster =
    clusterId === undefined
      ? Prisma.empty
      : Prisma.sql`AND (f."clusterId" = ${clusterId} OR (f."clusterId" IS NULL AND f."imageId" IN (
          SELECT c."imageId" FROM "Container" c JOIN "Workload" w ON w.id = c."workloadId"
          WHERE c."orgId" = ${orgId} AND w."clusterId" = ${clusterId} AND NOT w.deleted AND c."imageId" IS NOT NULL)))`;
  // Findings are grouped by their technique list first (a few dozen distinct lists), then each list
  // expands to its distinct ids plus their parents, so a finding counts once per cell.
  const rows = await plainSql(db).$queryRaw<Array<{ id: string; open: number; maxSeverity: Severity }>>`
    WITH lists AS (
      SELECT f."mitreTechniques" AS ids, f.severity, count(*)::int AS n
      FROM "Finding" f
      WHERE f."orgId" = ${orgId} AND f.status = 'OPEN' AND cardinality(f."mitreTechniques") > 0 ${inCluster}
      GROUP BY 1, 2
    )
    SELECT k.key AS id, sum(l.n)::int AS open, min(l.severity)::text AS "maxSeverity"
    FROM lists l CROSS JOIN LATERAL (
      SELECT DISTINCT x FROM unnest(l.ids) AS u(t) CROSS JOIN LATERAL (VALUES (u.t), (split_part(u.t, '.', 1))) AS v(x)
    ) AS k(key)
    GROUP BY k.key`;
  return new Map(rows.map((r) => [r.id, { id: r.id, open: r.open, maxSeverity: r.maxSeverity }]));
}

const none = (id: string): TechniqueCount => ({ id, open: 0, maxSeverity: null });

/** The matrix with a count in every cell, plus techniques seen that have no cell. */
export function buildAttackMatrix(counts: ReadonlyMap<string, TechniqueCount>): AttackMatrixView {
  // Rolled up to the parent level, so a sub-technique without a cell shows once, under its parent id.
  const other = [...counts.values()].filter((c) => !c.id.includes(".") && !ATTACK_CONTAINERS_IDS.has(c.id)).sort((a, b) => a.id.localeCompare(b.id));
  return {
    version: ATTACK_CONTAINERS_VERSION,
    tactics: ATTACK_CONTAINERS_MATRIX.map((tactic) => ({
      id: tactic.id,
      name: tactic.name,
      techniques: tactic.techniques.map((tech) => ({
        ...(counts.get(tech.id) ?? none(tech.id)),
        name: tech.name,
        enterprise: tech.enterprise === true,
        subTechniques: tech.subTechniques.map((s) => ({ ...(counts.get(s.id) ?? none(s.id)), name: s.name })),
      })),
    })),
    other,
  };
}
