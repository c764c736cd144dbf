import { type SqlTx } from "@bulwark/db";
import { type NormalizedRuntimeEvent } from "../ingest/normalized.ts";

// Ties runtime events to the inventory: the cluster by name, the workload by cluster, namespace and the
// name guessed from the pod (a Deployment pod's hash suffixes removed). Two reads per batch whatever
// its size; an event whose cluster or workload the inventory does not know stays unlinked and keeps
// the names it recorded (exception scopes match those, see exceptions/match.ts).

export interface RuntimeLink {
  clusterId: string | null;
  workloadId: string | null;
  namespaceId: string | null;
}

const key = (clusterId: string, ns: string, name: string) => `${clusterId}\u001f${ns}\u001f${name}`;

export async function resolveRuntimeLinks(tx: SqlTx, orgId: string, events: readonly NormalizedRuntimeEvent[]): Promise<(e: NormalizedRuntimeEvent) => RuntimeLink> {
  const clusterNames = [...new Set(events.map((e) => e.cluster).filter((c): c is string => !!c))];
  const clusters = clusterNames.length
    ? await tx.$queryRaw<Array<{ id: string; name: string }>>`SELECT id, name FROM "Cluster" WHERE "orgId" = ${orgId} AND name = ANY(${clusterNames}::text[])`
    : [];
  const clusterId = new Map(clusters.map((c) => [c.name, c.id]));
  const names = [...new Set(events.filter((e) => e.cluster && clusterId.has(e.cluster) && e.namespace && e.workload).map((e) => e.workload!))];
  const workloads = names.length
    ? await tx.$queryRaw<Array<{ id: string; clusterId: string; namespaceId: string; ns: string; name: string }>>`
        SELECT w.id, w."clusterId", w."namespaceId", n.name AS ns, w.name FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId"
        WHERE w."orgId" = ${orgId} AND w.deleted = false AND w."clusterId" = ANY(${[...clusterId.values()]}::text[]) AND w.name = ANY(${names}::text[])
        ORDER BY w."firstSeen"`
    : [];
  // Two live workloads of one name in a namespace (a Deployment and a StatefulSet "db"): the older wins, consistently.
  const byName = new Map<string, { id: string; namespaceId: string }>();
  for (const w of workloads) if (!byName.has(key(w.clusterId, w.ns, w.name))) byName.set(key(w.clusterId, w.ns, w.name), { id: w.id, namespaceId: w.namespaceId });
  const memo = new Map<NormalizedRuntimeEvent, RuntimeLink>();
  return (e) => {
    let link = memo.get(e);
    if (!link) {
      const cid = e.cluster ? (clusterId.get(e.cluster) ?? null) : null;
      const w = cid && e.namespace && e.workload ? byName.get(key(cid, e.namespace, e.workload)) : undefined;
      link = { clusterId: cid, workloadId: w?.id ?? null, namespaceId: w?.namespaceId ?? null };
      memo.set(e, link);
    }
    return link;
  };
}
