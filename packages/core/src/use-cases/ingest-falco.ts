import { type DbTx } from "@bulwark/db";
import { type NormalizedFinding, type NormalizedRuntimeEvent } from "../ingest/normalized.ts";
import { type Severity } from "../ingest/severity.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { type FindingRow, newId, upsertFindings } from "../ingest/store-findings.ts";
import { type IngestReport } from "./ingest-trivy.ts";

export const FALCO_SOURCE = "falco";
const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFO: 4 };

/**
 * Stores Falco events as RuntimeEvent rows and folds them into one RUNTIME finding per aggregate key
 * (rule, cluster, namespace, workload, image): occurrences count its stored events, the worst priority wins.
 * A report is claimed once, so its events are inserted once; the insert also skips an event already
 * stored for the same finding, time and output, which keeps a re-sent batch from doubling them.
 */
export async function ingestFalco(tx: DbTx, report: IngestReport, events: NormalizedRuntimeEvent[]) {
  const { orgId } = report;
  const clusterNames = [...new Set(events.map((e) => e.cluster).filter((c): c is string => !!c))];
  const clusters = clusterNames.length
    ? await tx.cluster.findMany({ where: { orgId, name: { in: clusterNames } }, select: { id: true, name: true } })
    : [];
  const clusterId = new Map(clusters.map((c) => [c.name, c.id]));

  // Workloads by cluster + namespace + name (the pod name with its controller hash removed).
  const wanted = events.filter((e) => e.cluster && clusterId.has(e.cluster) && e.namespace && e.workload);
  const workloads = wanted.length
    ? await tx.$queryRaw<Array<{ id: string; clusterId: string; namespaceId: string; ns: string; name: string }>>`
        SELECT w.id, w."clusterId", w."namespaceId", n.name AS ns, w.name FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId"
        WHERE w."orgId" = ${orgId} AND w.deleted = false AND w."clusterId" = ANY(${[...clusterId.values()]}::text[])
          AND w.name = ANY(${[...new Set(wanted.map((e) => e.workload!))]}::text[])
        ORDER BY w."firstSeen"`
    : [];
  const wKey = (c: string, ns: string, name: string) => `${c}\u001f${ns}\u001f${name}`;
  const workloadOf = new Map<string, { id: string; namespaceId: string }>();
  for (const w of workloads) if (!workloadOf.has(wKey(w.clusterId, w.ns, w.name))) workloadOf.set(wKey(w.clusterId, w.ns, w.name), { id: w.id, namespaceId: w.namespaceId });
  const link = (e: NormalizedRuntimeEvent) => {
    const cid = e.cluster ? (clusterId.get(e.cluster) ?? null) : null;
    const w = cid && e.namespace && e.workload ? workloadOf.get(wKey(cid, e.namespace, e.workload)) : undefined;
    return { clusterId: cid, workloadId: w?.id ?? null, namespaceId: w?.namespaceId ?? null };
  };

  const groups = new Map<string, { first: NormalizedRuntimeEvent; worst: NormalizedRuntimeEvent; firstSeen: Date; lastSeen: Date; count: number; all: NormalizedRuntimeEvent[] }>();
  for (const e of events) {
    const g = groups.get(e.aggregateKey);
    if (!g) {
      groups.set(e.aggregateKey, { first: e, worst: e, firstSeen: e.time, lastSeen: e.time, count: 1, all: [e] });
      continue;
    }
    g.count++;
    g.all.push(e);
    if (e.time < g.firstSeen) g.firstSeen = e.time;
    if (e.time > g.lastSeen) g.lastSeen = e.time;
    if (SEVERITY_RANK[e.severity] < SEVERITY_RANK[g.worst.severity]) g.worst = e;
  }
  const rows: FindingRow[] = [...groups.entries()].map(([aggregateKey, g]) => ({
    finding: runtimeFinding(aggregateKey, g.first, g.worst.severity, g.all),
    ...link(g.first),
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
    occurrences: g.count,
  }));
  const upserted = await upsertFindings(tx, orgId, rows, { runtime: true });
  // Approved exceptions (e.g. a Falco rule in one namespace) cover new and reopened findings at once (exceptions/apply.ts).
  await applyExceptions(tx, orgId, { findingIds: [...upserted.ids.values()] });

  const col = <T>(pick: (e: NormalizedRuntimeEvent) => T) => events.map(pick);
  const inserted = await tx.$executeRaw`
    INSERT INTO "RuntimeEvent" (id, "orgId", "clusterId", namespace, pod, container, "workloadId", "findingId", rule, priority, source,
      output, time, fields, tags, "receivedAt")
    SELECT id, ${orgId}, cluster_id, ns, pod, container, workload_id, finding_id, rule, priority, source, output, time AT TIME ZONE 'UTC',
      fields::jsonb, string_to_array(tags, E'\\x1f'), now()
    FROM unnest(${col(() => newId())}::text[], ${col((e) => link(e).clusterId)}::text[], ${col((e) => e.namespace)}::text[],
      ${col((e) => e.pod)}::text[], ${col((e) => e.container?.name ?? e.container?.id ?? null)}::text[], ${col((e) => link(e).workloadId)}::text[],
      ${col((e) => upserted.ids.get(e.aggregateKey) ?? null)}::text[], ${col((e) => e.rule)}::text[], ${col((e) => e.priority)}::text[],
      ${col((e) => e.source)}::text[], ${col((e) => e.output)}::text[], ${col((e) => e.time.toISOString())}::timestamptz[],
      ${col((e) => JSON.stringify(e.fields))}::text[], ${col((e) => e.tags.join("\u001f"))}::text[])
      AS t(id, cluster_id, ns, pod, container, workload_id, finding_id, rule, priority, source, output, time, fields, tags)
    WHERE NOT EXISTS (SELECT 1 FROM "RuntimeEvent" r WHERE r."findingId" = t.finding_id AND r.time = t.time AT TIME ZONE 'UTC' AND r.output = t.output)`;
  // Counting the stored events keeps occurrences exact however often the same events are sent.
  await tx.$executeRaw`UPDATE "Finding" f SET occurrences = GREATEST(1, (SELECT count(*) FROM "RuntimeEvent" r WHERE r."findingId" = f.id AND r."orgId" = ${orgId}))
    WHERE COALESCE(f."orgId", '') = ${orgId} AND f.id = ANY(${[...upserted.ids.values()]}::text[])`;
  const { created, updated, reopened, unchanged } = upserted;
  return { events: events.length, eventsStored: inserted, findings: rows.length, created, updated, reopened, unchanged };
}

function runtimeFinding(aggregateKey: string, e: NormalizedRuntimeEvent, severity: Severity, all: NormalizedRuntimeEvent[]): NormalizedFinding {
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
      hostname: e.hostname,
      eventSource: e.source,
      tactics: [...new Set(all.flatMap((x) => x.mitreTactics))].sort(),
    },
    remediation: null,
    target: e.pod ?? e.hostname ?? "",
  };
}
