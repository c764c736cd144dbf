import { ATTACK_CONTAINERS_MATRIX } from "../compliance/attack-containers.ts";
import { TACTICS, techniqueName } from "../ingest/mitre.ts";

// Runtime aggregates as the Runtime page and GET /api/v1/runtime/findings show them. Where the
// inventory did not resolve the cluster, namespace or workload, the names the events carried
// (the finding's evidence) are shown instead, so an aggregate from an unknown cluster still says where.

export interface AttackRef {
  id: string;
  /** Display name; null for an id neither table knows. */
  name: string | null;
}

// Ingestion's table names the techniques Falco's mapping emits; the ATT&CK for Containers matrix the
// rest (a rule file may tag any technique). Sub-techniques read "Parent: Sub", as ATT&CK writes them.
const MATRIX_NAMES = new Map<string, string>();
for (const tactic of ATTACK_CONTAINERS_MATRIX) {
  for (const tech of tactic.techniques) {
    MATRIX_NAMES.set(tech.id, tech.name);
    for (const sub of tech.subTechniques) MATRIX_NAMES.set(sub.id, `${tech.name}: ${sub.name}`);
  }
}
const TACTIC_NAMES = new Map(Object.values(TACTICS).map((t) => [t.id, t.name]));

export function attackTechnique(id: string): AttackRef {
  return { id, name: MATRIX_NAMES.get(id) ?? techniqueName(id) };
}

export function attackTactic(id: string): AttackRef {
  return { id, name: TACTIC_NAMES.get(id) ?? null };
}

export interface RuntimeFindingItem {
  id: string;
  title: string;
  rule: string;
  severity: string;
  status: string;
  /** Stored events folded into the aggregate. */
  occurrences: number;
  firstSeen: Date;
  lastSeen: Date;
  /** "falco" or "bulwark-baseline" (a process outside a locked baseline). */
  source: string;
  clusterId: string | null;
  /** The inventoried cluster's name, else the name the events carried. */
  cluster: string | null;
  namespace: string | null;
  /** The inventoried workload, when the events resolved to one. */
  workload: { id: string; name: string; kind: string } | null;
  /** The workload name the events carried (the pod name without its controller hash): set even when unresolved. */
  workloadName: string | null;
  pod: string | null;
  container: string | null;
  image: string | null;
  /** Baseline anomalies: the process that ran outside the baseline. */
  process: string | null;
  mitreTechniques: AttackRef[];
  tactics: AttackRef[];
  /** The exception suppressing (or that suppressed) it. */
  exceptionId: string | null;
}

export interface RuntimeRow {
  id: string;
  title: string;
  ruleId: string;
  severity: string;
  status: string;
  occurrences: number;
  firstSeen: Date;
  lastSeen: Date;
  source: string;
  clusterId: string | null;
  workloadId: string | null;
  mitreTechniques: string[];
  evidence: unknown;
  exceptionId: string | null;
  clusterName: string | null;
  namespaceName: string | null;
  workloadName: string | null;
  workloadKind: string | null;
}

/** A string field of a finding's evidence (JSON written by ingestion), else null. */
export function evidenceText(evidence: unknown, key: string): string | null {
  if (!evidence || typeof evidence !== "object" || Array.isArray(evidence)) return null;
  const v = (evidence as Record<string, unknown>)[key];
  return typeof v === "string" && v !== "" ? v : null;
}

export function evidenceList(evidence: unknown, key: string): string[] {
  if (!evidence || typeof evidence !== "object" || Array.isArray(evidence)) return [];
  const v = (evidence as Record<string, unknown>)[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function toRuntimeItem(r: RuntimeRow): RuntimeFindingItem {
  const ev = r.evidence;
  return {
    id: r.id,
    title: r.title,
    rule: r.ruleId,
    severity: r.severity,
    status: r.status,
    occurrences: Number(r.occurrences),
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    source: r.source,
    clusterId: r.clusterId,
    cluster: r.clusterName ?? evidenceText(ev, "cluster"),
    namespace: r.namespaceName ?? evidenceText(ev, "namespace"),
    workload: r.workloadId && r.workloadName ? { id: r.workloadId, name: r.workloadName, kind: r.workloadKind ?? "" } : null,
    workloadName: evidenceText(ev, "workload") ?? r.workloadName,
    pod: evidenceText(ev, "pod"),
    container: evidenceText(ev, "container"),
    image: evidenceText(ev, "image"),
    process: evidenceText(ev, "process"),
    mitreTechniques: r.mitreTechniques.map(attackTechnique),
    tactics: evidenceList(ev, "tactics").map(attackTactic),
    exceptionId: r.exceptionId,
  };
}
