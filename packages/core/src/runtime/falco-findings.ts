import { type NormalizedFinding, type NormalizedRuntimeEvent } from "../ingest/normalized.ts";
import { type Severity } from "../ingest/severity.ts";
import { type FindingRow, type UpsertCounts } from "../ingest/store-findings.ts";
import { type RuntimeLink } from "./links.ts";

// Falco events folded into RUNTIME findings: one per aggregate key (rule, cluster, namespace, workload,
// image), the worst priority winning, described by its latest event.

export const FALCO_SOURCE = "falco";
export const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFO: 4 };

/** What the upsert decides on, as read before a batch. */
export interface FindingState {
  severity: Severity;
  status: string;
  resolvedAt: Date | null;
}

/**
 * The upsert's outcome for one report's sighting of an aggregate (store-findings.ts): new; RESOLVED
 * and seen after its resolution → reopened; worse than before → updated (runtime severity only
 * worsens, and the title is fixed by the aggregate key); else unchanged.
 */
export function outcomeOf(state: FindingState | undefined, worst: Severity, lastSeen: Date): keyof UpsertCounts {
  if (!state) return "created";
  if (state.status === "RESOLVED" && (state.resolvedAt === null || lastSeen > state.resolvedAt)) return "reopened";
  if (SEVERITY_RANK[worst] < SEVERITY_RANK[state.severity]) return "updated";
  return "unchanged";
}

/**
 * One row per aggregate, sorted by fingerprint (concurrent batches then lock shared findings in one
 * order). Occurrences start at 0: the caller adds the events it actually stored.
 */
export function falcoFindingRows(events: readonly NormalizedRuntimeEvent[], link: (e: NormalizedRuntimeEvent) => RuntimeLink): FindingRow[] {
  const groups = new Map<string, { latest: NormalizedRuntimeEvent; worst: Severity; firstSeen: Date; lastSeen: Date; all: NormalizedRuntimeEvent[] }>();
  for (const e of events) {
    const g = groups.get(e.aggregateKey);
    if (!g) {
      groups.set(e.aggregateKey, { latest: e, worst: e.severity, firstSeen: e.time, lastSeen: e.time, all: [e] });
      continue;
    }
    g.all.push(e);
    if (e.time < g.firstSeen) g.firstSeen = e.time;
    // The latest event describes the aggregate, as the upsert keeps the newest sighting's details:
    // a batch and the same reports one by one then describe it alike.
    if (e.time >= g.lastSeen) Object.assign(g, { lastSeen: e.time, latest: e });
    if (SEVERITY_RANK[e.severity] < SEVERITY_RANK[g.worst]) g.worst = e.severity;
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([aggregateKey, g]) => {
      // Linked by any event of the aggregate the inventory resolved (they share cluster, namespace and workload name).
      const linked = g.all.map(link).find((l) => l.workloadId !== null) ?? link(g.latest);
      return { finding: runtimeFinding(aggregateKey, g.latest, g.worst, g.all), ...linked, firstSeen: g.firstSeen, lastSeen: g.lastSeen, occurrences: 0 };
    });
}

function runtimeFinding(aggregateKey: string, e: NormalizedRuntimeEvent, severity: Severity, all: readonly NormalizedRuntimeEvent[]): NormalizedFinding {
  const techniques = [...new Set(all.flatMap((x) => x.mitreTechniques))].sort();
  const where = [e.namespace, e.workload ?? e.pod].filter(Boolean).join("/");
  return {
    fingerprint: aggregateKey,
    type: "RUNTIME",
    severity,
    title: where ? `${e.rule} (${where})` : e.rule,
    description: e.output,
    ruleId: e.rule,
    source: FALCO_SOURCE,
    packageName: null,
    packageVersion: null,
    fixedVersion: null,
    fixable: false,
    cvssScore: null,
    mitreTechniques: techniques,
    evidence: {
      cluster: e.cluster,
      namespace: e.namespace,
      pod: e.pod,
      workload: e.workload,
      container: e.container?.name ?? null,
      image: e.image,
      imageRepository: e.imageRepository,
      hostname: e.hostname,
      eventSource: e.source,
      tactics: [...new Set(all.flatMap((x) => x.mitreTactics))].sort(),
    },
    remediation: null,
    target: e.pod ?? e.hostname ?? "",
  };
}
