import { Prisma, type SqlTx } from "@bulwark/db";
import { ADMISSION_FINDING_SOURCE } from "../admission/store-decisions.ts";
import { ENGINE_ONLY_FIELDS, type ExceptionScope, setFields, type StoredScope } from "./scope.ts";

// Which findings a scope covers. A scope is compiled once into terms (advisory aliases and cluster,
// namespace and workload names resolved to ids by a few indexed reads), then rendered either as a
// Prisma filter (counts, lists) or as SQL (suppression, which must run on any SqlTx, ingestion's
// COPY transaction included). Both renderings come from the same terms, so they cannot drift apart.
// Ids rather than joins keep every condition on an index of "Finding": (orgId, ruleId),
// (imageId, status), (clusterId, status), (workloadId, status) and (orgId, type, status, …).

/** Names and ids the scopes refer to, read once for a whole set of scopes. */
export interface Lookups {
  /** Advisory id → the ids a finding may carry for it: {id} ∪ matching advisories' externalId and aliases. */
  advisories: Map<string, string[]>;
  clusters: Map<string, string[]>;
  namespaces: Map<string, string[]>;
  workloads: Map<string, { id: string; kind: string }[]>;
}

const group = <T>(rows: readonly T[], key: (r: T) => string) => {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
};

export async function resolveLookups(db: SqlTx, orgId: string, scopes: readonly ExceptionScope[]): Promise<Lookups> {
  const distinct = (pick: (s: ExceptionScope) => string | undefined) => [...new Set(scopes.map(pick).filter((v): v is string => v !== undefined))];
  const [advisoryIds, clusterNames, namespaceNames, workloadNames] = [distinct((s) => s.advisory), distinct((s) => s.cluster), distinct((s) => s.namespace), distinct((s) => s.workload)];
  const [advisories, clusters, namespaces, workloads] = await Promise.all([
    // `aliases && ids` is what the GIN index serves; `id = ANY(aliases)` would read every advisory.
    advisoryIds.length
      ? db.$queryRaw<Array<{ externalId: string; aliases: string[] }>>`
          SELECT "externalId", aliases FROM "Advisory" WHERE "externalId" = ANY(${advisoryIds}::text[]) OR aliases && ${advisoryIds}::text[]`
      : [],
    clusterNames.length ? db.$queryRaw<Array<{ id: string; name: string }>>`SELECT id, name FROM "Cluster" WHERE "orgId" = ${orgId} AND name = ANY(${clusterNames}::text[])` : [],
    // Deleted namespaces and workloads included: their findings still name them.
    namespaceNames.length ? db.$queryRaw<Array<{ id: string; name: string }>>`SELECT id, name FROM "Namespace" WHERE "orgId" = ${orgId} AND name = ANY(${namespaceNames}::text[])` : [],
    workloadNames.length
      ? db.$queryRaw<Array<{ id: string; name: string; kind: string }>>`SELECT id, name, kind FROM "Workload" WHERE "orgId" = ${orgId} AND name = ANY(${workloadNames}::text[])`
      : [],
  ]);
  const aliasMap = new Map<string, string[]>();
  for (const id of advisoryIds) {
    const names = new Set([id]);
    for (const a of advisories) if (a.externalId === id || a.aliases.includes(id)) [a.externalId, ...a.aliases].forEach((n) => names.add(n));
    aliasMap.set(id, [...names].sort());
  }
  const ids = (m: Map<string, { id: string }[]>) => new Map([...m].map(([k, rows]) => [k, rows.map((r) => r.id)]));
  return {
    advisories: aliasMap,
    clusters: ids(group(clusters, (r) => r.name)),
    namespaces: ids(group(namespaces, (r) => r.name)),
    workloads: new Map([...group(workloads, (r) => r.name)].map(([k, rows]) => [k, rows.map(({ id, kind }) => ({ id, kind }))])),
  };
}

/** What a scope compiles to. */
export interface ScopeTerms {
  /** False: the scope matches no finding (unknown keys, nothing set, or admission-only fields). */
  matchable: boolean;
  ruleIds?: string[];
  image?: { registryHost?: string; repository?: string; digest?: string };
  cluster?: { name: string; ids: string[] };
  namespace?: { name: string; ids: string[] };
  /** ids when the scope names the workload; a kind alone is matched by join. */
  workload?: { name?: string; kind?: string; ids?: string[] };
}

export function scopeTerms(stored: StoredScope, lookups: Lookups): ScopeTerms {
  const s = stored.scope;
  if (stored.unknownKeys.length > 0 || setFields(s).length === 0 || ENGINE_ONLY_FIELDS.some((f) => s[f] !== undefined)) return { matchable: false };
  const terms: ScopeTerms = { matchable: true };
  // advisory, policyId and rule all name the finding's rule id; a legacy row setting several needs all to agree.
  const ruleSets: string[][] = [];
  if (s.advisory !== undefined) ruleSets.push(lookups.advisories.get(s.advisory) ?? [s.advisory]);
  if (s.policyId !== undefined) ruleSets.push([s.policyId]);
  if (s.rule !== undefined) ruleSets.push([s.rule]);
  if (ruleSets.length > 0) terms.ruleIds = ruleSets.reduce((a, b) => a.filter((id) => b.includes(id)));
  if (s.imageRepository !== undefined || s.imageDigest !== undefined) {
    const slash = s.imageRepository?.indexOf("/") ?? -1;
    // Normalized repositories always name their registry; an unreadable legacy value matches no image.
    if (s.imageRepository !== undefined && slash <= 0) return { matchable: false };
    terms.image = {
      ...(s.imageRepository !== undefined ? { registryHost: s.imageRepository.slice(0, slash), repository: s.imageRepository.slice(slash + 1) } : {}),
      ...(s.imageDigest !== undefined ? { digest: s.imageDigest } : {}),
    };
  }
  if (s.cluster !== undefined) terms.cluster = { name: s.cluster, ids: lookups.clusters.get(s.cluster) ?? [] };
  if (s.namespace !== undefined) terms.namespace = { name: s.namespace, ids: lookups.namespaces.get(s.namespace) ?? [] };
  if (s.workload !== undefined) {
    const ids = (lookups.workloads.get(s.workload) ?? []).filter((w) => s.kind === undefined || w.kind === s.kind).map((w) => w.id);
    terms.workload = { name: s.workload, ...(s.kind !== undefined ? { kind: s.kind } : {}), ids };
  } else if (s.kind !== undefined) terms.workload = { kind: s.kind };
  return terms;
}

// A finding tied to an inventoried object matches by that object. A finding about something the
// inventory does not know matches by the names it recorded: an admission decision about a resource
// that never ran (a denied Deployment), recorded as evidence {cluster, namespace, name, kind}, and a
// runtime finding from a cluster or workload not inventoried (yet), recorded as evidence {cluster,
// namespace, workload} (no kind: a scope setting kind does not match those). Runtime findings carry no
// image id either: they match an imageRepository by evidence.imageRepository.
const UNLINKED_ADMISSION = { type: "POLICY_VIOLATION", source: ADMISSION_FINDING_SOURCE } as const;
const RUNTIME = { type: "RUNTIME" } as const;
/** The evidence key each location field was recorded under, per kind of unlinked finding. */
const RECORDED = {
  admission: { cluster: "cluster", namespace: "namespace", workload: "name", kind: "kind" },
  runtime: { cluster: "cluster", namespace: "namespace", workload: "workload", kind: null },
} as const;
type Recorded = (typeof RECORDED)[keyof typeof RECORDED];

/** The evidence conditions of a location term for one kind of unlinked finding; null when it cannot match. */
function recordedPairs(by: Recorded, t: { cluster?: string; namespace?: string; name?: string; kind?: string }): [string, string][] | null {
  const pairs: [string, string][] = [];
  if (t.cluster !== undefined) pairs.push([by.cluster, t.cluster]);
  if (t.namespace !== undefined) pairs.push([by.namespace, t.namespace]);
  if (t.name !== undefined) pairs.push([by.workload, t.name]);
  if (t.kind !== undefined) {
    if (by.kind === null) return null;
    pairs.push([by.kind, t.kind]);
  }
  return pairs;
}

/** The Prisma filter for findings of `orgId` the terms cover (any status: callers add theirs). */
export function termsWhere(orgId: string, t: ScopeTerms): Prisma.FindingWhereInput {
  if (!t.matchable) return { orgId, id: { in: [] } };
  const and: Prisma.FindingWhereInput[] = [{ orgId }];
  const recorded = (pairs: [string, string][]): Prisma.FindingWhereInput[] => pairs.map(([key, value]) => ({ evidence: { path: [key], equals: value } }));
  const unlinked = (column: "clusterId" | "namespaceId" | "workloadId", term: Parameters<typeof recordedPairs>[1]): Prisma.FindingWhereInput[] =>
    (
      [
        [UNLINKED_ADMISSION, RECORDED.admission],
        [RUNTIME, RECORDED.runtime],
      ] as const
    ).flatMap(([which, by]) => {
      const pairs = recordedPairs(by, term);
      return pairs ? [{ ...which, [column]: null, AND: recorded(pairs) }] : [];
    });
  if (t.ruleIds) and.push({ ruleId: { in: t.ruleIds } });
  if (t.image) {
    const repo = runtimeRepository(t.image);
    and.push(repo === null ? { image: { is: { orgId, ...t.image } } } : { OR: [{ image: { is: { orgId, ...t.image } } }, { ...RUNTIME, imageId: null, AND: recorded([["imageRepository", repo]]) }] });
  }
  if (t.cluster) and.push({ OR: [{ clusterId: { in: t.cluster.ids } }, ...unlinked("clusterId", { cluster: t.cluster.name })] });
  if (t.namespace) and.push({ OR: [{ namespaceId: { in: t.namespace.ids } }, ...unlinked("namespaceId", { namespace: t.namespace.name })] });
  if (t.workload) {
    const w = t.workload;
    const linked: Prisma.FindingWhereInput = w.ids ? { workloadId: { in: w.ids } } : { workload: { is: { kind: w.kind! } } };
    and.push({ OR: [linked, ...unlinked("workloadId", { ...(w.name !== undefined ? { name: w.name } : {}), ...(w.kind !== undefined ? { kind: w.kind } : {}) })] });
  }
  return { AND: and };
}

/** The same filter as SQL over `"Finding" f`. */
export function termsSql(orgId: string, t: ScopeTerms): Prisma.Sql {
  if (!t.matchable) return Prisma.sql`false`;
  const and: Prisma.Sql[] = [Prisma.sql`f."orgId" = ${orgId}`];
  const recorded = (pairs: [string, string][]) => Prisma.join(pairs.map(([k, v]) => Prisma.sql`f.evidence->>${k} = ${v}`), " AND ");
  const unlinked = (column: "clusterId" | "namespaceId" | "workloadId", term: Parameters<typeof recordedPairs>[1]): Prisma.Sql[] => {
    const out: Prisma.Sql[] = [];
    const col = Prisma.raw(`f."${column}"`);
    const admission = recordedPairs(RECORDED.admission, term);
    if (admission) out.push(Prisma.sql`(f.type = 'POLICY_VIOLATION' AND f.source = ${ADMISSION_FINDING_SOURCE} AND ${col} IS NULL AND ${recorded(admission)})`);
    const runtime = recordedPairs(RECORDED.runtime, term);
    if (runtime) out.push(Prisma.sql`(f.type = 'RUNTIME' AND ${col} IS NULL AND ${recorded(runtime)})`);
    return out;
  };
  const any = (parts: Prisma.Sql[]) => Prisma.sql`(${Prisma.join(parts, " OR ")})`;
  if (t.ruleIds) and.push(Prisma.sql`f."ruleId" = ANY(${t.ruleIds}::text[])`);
  if (t.image) {
    const img: Prisma.Sql[] = [Prisma.sql`i."orgId" = ${orgId}`];
    if (t.image.registryHost !== undefined) img.push(Prisma.sql`i."registryHost" = ${t.image.registryHost}`);
    if (t.image.repository !== undefined) img.push(Prisma.sql`i.repository = ${t.image.repository}`);
    if (t.image.digest !== undefined) img.push(Prisma.sql`i.digest = ${t.image.digest}`);
    const byImage = Prisma.sql`f."imageId" IN (SELECT i.id FROM "Image" i WHERE ${Prisma.join(img, " AND ")})`;
    const repo = runtimeRepository(t.image);
    and.push(repo === null ? byImage : any([byImage, Prisma.sql`(f.type = 'RUNTIME' AND f."imageId" IS NULL AND ${recorded([["imageRepository", repo]])})`]));
  }
  if (t.cluster) and.push(any([Prisma.sql`f."clusterId" = ANY(${t.cluster.ids}::text[])`, ...unlinked("clusterId", { cluster: t.cluster.name })]));
  if (t.namespace) and.push(any([Prisma.sql`f."namespaceId" = ANY(${t.namespace.ids}::text[])`, ...unlinked("namespaceId", { namespace: t.namespace.name })]));
  if (t.workload) {
    const w = t.workload;
    const linked = w.ids
      ? Prisma.sql`f."workloadId" = ANY(${w.ids}::text[])`
      : Prisma.sql`f."workloadId" IN (SELECT w.id FROM "Workload" w WHERE w."orgId" = ${orgId} AND w.kind = ${w.kind!})`;
    and.push(any([linked, ...unlinked("workloadId", { ...(w.name !== undefined ? { name: w.name } : {}), ...(w.kind !== undefined ? { kind: w.kind } : {}) })]));
  }
  return Prisma.join(and, " AND ");
}

/** The "registry/repository" runtime findings record; null when the terms name a digest (runtime events carry none). */
function runtimeRepository(image: NonNullable<ScopeTerms["image"]>): string | null {
  if (image.digest !== undefined || image.registryHost === undefined || image.repository === undefined) return null;
  return `${image.registryHost}/${image.repository}`;
}

/**
 * The Prisma filter for the findings of `orgId` that `scope` covers, whatever their status (callers
 * add theirs). A scope that cannot be read, sets nothing, or sets admission-only fields matches nothing.
 */
export async function findingWhere(db: SqlTx, orgId: string, scope: ExceptionScope | StoredScope): Promise<Prisma.FindingWhereInput> {
  const stored: StoredScope = isStoredScope(scope) ? scope : { scope, unknownKeys: [] };
  return termsWhere(orgId, scopeTerms(stored, await resolveLookups(db, orgId, [stored.scope])));
}

function isStoredScope(s: ExceptionScope | StoredScope): s is StoredScope {
  return "unknownKeys" in s && Array.isArray(s.unknownKeys);
}
