import { type SqlTx } from "@bulwark/db";
import { applyExceptions } from "../exceptions/apply.ts";
import { type NormalizedRuntimeEvent } from "../ingest/normalized.ts";
import { type Severity } from "../ingest/severity.ts";
import { type FindingRow, newId, upsertFindings } from "../ingest/store-findings.ts";
import { type AlertCandidate } from "../notifications/types.ts";
import { anomalyFindings, applyBaselines, type BaselineEvent } from "../runtime/baselines.ts";
import { falcoFindingRows, type FindingState, outcomeOf, SEVERITY_RANK } from "../runtime/falco-findings.ts";
import { resolveRuntimeLinks } from "../runtime/links.ts";
import { type EventRow, storeRuntimeEvents } from "../runtime/store-events.ts";
import { type IngestReport } from "./ingest-trivy.ts";

export { FALCO_SOURCE } from "../runtime/falco-findings.ts";

export type FalcoCounts = {
  events: number;
  /** Events not stored before (a re-sent event is stored and counted once). */
  eventsStored: number;
  /** Aggregates (RUNTIME findings) the report's events belong to, and what happened to them. */
  findings: number;
  created: number;
  updated: number;
  reopened: number;
  unchanged: number;
  /** Events outside a locked process baseline. */
  anomalies: number;
};

export interface FalcoBatchItem {
  report: IngestReport;
  events: NormalizedRuntimeEvent[];
}

export interface FalcoBatchResult {
  counts: FalcoCounts[];
  /** Findings worth an alert: created, reopened or escalated, and still OPEN (not suppressed) at the end. */
  alerts: AlertCandidate[];
}

/**
 * Stores Falco events of one or more reports of one organization as RuntimeEvent rows, folds them into
 * one RUNTIME finding per aggregate key (rule, cluster, namespace, workload, image) and applies process
 * baselines. A fixed number of statements per call, none per event or per finding:
 * - the aggregates are upserted (worst priority wins, first/last seen widen);
 * - events are inserted once by event key (ON CONFLICT DO NOTHING) and only the newly stored ones are
 *   added to their finding's occurrences, so occurrences stay exact however often events are re-sent;
 * - baselines learn from, lock on and check the newly stored events (runtime/baselines.ts);
 * - approved exceptions suppress new and reopened findings in the same transaction.
 * Reports are applied in the order given, each report's events by time, and per-report counts are
 * those the reports would get one by one, so a batch decides and counts as single reports do.
 */
export async function ingestFalcoBatch(tx: SqlTx, items: readonly FalcoBatchItem[]): Promise<FalcoBatchResult> {
  const orgId = items[0]?.report.orgId;
  if (!orgId) return { counts: [], alerts: [] };
  if (items.some((i) => i.report.orgId !== orgId)) throw new Error("ingestFalcoBatch: one organization per batch");
  // Findings are upserted, never COPYed: concurrent batches share hot aggregates, and an upsert waits
  // for the other's row where a COPY would fail the whole batch on the unique key.
  const sql: SqlTx = { $queryRaw: (q, ...v) => tx.$queryRaw(q, ...v), $executeRaw: (q, ...v) => tx.$executeRaw(q, ...v) };
  const ordered = items.map((item) => [...item.events].sort((a, b) => a.time.getTime() - b.time.getTime()));
  const all = ordered.flat();
  const link = await resolveRuntimeLinks(tx, orgId, all);

  // Aggregates over every event, re-sent ones included: they still move nothing but count as seen.
  const falco = falcoFindingRows(all, link);
  const before = new Map(
    (
      await tx.$queryRaw<Array<FindingState & { id: string; fingerprint: string }>>`
        SELECT id, fingerprint, severity::text AS severity, status::text AS status, "resolvedAt" FROM "Finding"
        WHERE "orgId" = ${orgId} AND fingerprint = ANY(${falco.map((r) => r.finding.fingerprint)}::text[])`
    ).map(({ fingerprint, ...s }) => [fingerprint, s]),
  );
  // Events are stored before their findings are upserted, so each finding is written once with its
  // occurrences grown by exactly the events stored: ids of findings not stored yet are chosen here.
  for (const r of falco) r.id = before.get(r.finding.fingerprint)?.id ?? newId();
  const planned = new Map(falco.map((r) => [r.finding.fingerprint, r.id!]));

  // Each event once per batch (the first copy); storage skips those stored before.
  const seen = new Set<string>();
  const rows: (EventRow & { report: number; fingerprint: string })[] = [];
  ordered.forEach((events, report) => {
    for (const event of events) {
      if (seen.has(event.eventKey)) continue;
      seen.add(event.eventKey);
      rows.push({ event, link: link(event), findingId: planned.get(event.aggregateKey)!, report, fingerprint: event.aggregateKey });
    }
  });
  const stored = await storeRuntimeEvents(tx, orgId, rows);
  const counts: FalcoCounts[] = items.map((i) => ({ events: i.events.length, eventsStored: 0, findings: 0, created: 0, updated: 0, reopened: 0, unchanged: 0, anomalies: 0 }));
  const added = new Map<string, number>();
  const fresh: BaselineEvent[] = [];
  rows.forEach((r, i) => {
    if (!stored.has(i)) return;
    added.set(r.fingerprint, (added.get(r.fingerprint) ?? 0) + 1);
    counts[r.report]!.eventsStored++;
    fresh.push({ event: r.event, link: r.link, report: r.report });
  });
  for (const r of falco) r.occurrences = added.get(r.finding.fingerprint) ?? 0;
  const upserted = await upsertFindings(sql, orgId, falco, { runtime: true, addOccurrences: true });
  // A concurrent batch created one of the new findings first: the upsert kept its id, so re-point our events.
  const moved = [...upserted.ids].filter(([fp, id]) => planned.get(fp) !== id);
  if (moved.length > 0) {
    await tx.$executeRaw`
      UPDATE "RuntimeEvent" r SET "findingId" = m.actual FROM unnest(${moved.map(([fp]) => planned.get(fp)!)}::text[], ${moved.map(([, id]) => id)}::text[]) AS m(planned, actual)
      WHERE r."findingId" = m.planned AND r."orgId" = ${orgId}`;
  }

  const anomalies = await applyBaselines(tx, orgId, fresh);
  for (const a of anomalies) counts[a.report]!.anomalies++;
  const anomalyUpsert = await upsertFindings(sql, orgId, anomalyFindings(anomalies).sort(byFingerprint), { runtime: true, addOccurrences: true });
  // Approved exceptions (a Falco rule in one namespace, say) cover new and reopened findings at once.
  await applyExceptions(sql, orgId, { findingIds: [...upserted.ids.values(), ...anomalyUpsert.ids.values()] });

  countOutcomes(ordered, before, counts);
  const candidates: AlertCandidate[] = [];
  for (const r of falco) {
    const fp = r.finding.fingerprint;
    const outcome = upserted.outcomes.get(fp);
    const was = before.get(fp);
    if (outcome === "created" || outcome === "reopened") candidates.push({ findingId: upserted.ids.get(fp)!, reason: outcome });
    else if (was && SEVERITY_RANK[r.finding.severity] < SEVERITY_RANK[was.severity]) candidates.push({ findingId: upserted.ids.get(fp)!, reason: "escalated" });
  }
  for (const [fp, outcome] of anomalyUpsert.outcomes) {
    if (outcome === "created" || outcome === "reopened") candidates.push({ findingId: anomalyUpsert.ids.get(fp)!, reason: outcome });
  }
  return { counts, alerts: await stillOpen(tx, orgId, candidates) };
}

/** One report alone (the same code path as a batch of one). */
export async function ingestFalco(tx: SqlTx, report: IngestReport, events: NormalizedRuntimeEvent[]): Promise<{ counts: FalcoCounts; alerts: AlertCandidate[] }> {
  const { counts, alerts } = await ingestFalcoBatch(tx, [{ report, events }]);
  return { counts: counts[0]!, alerts };
}

const byFingerprint = (a: FindingRow, b: FindingRow) => (a.finding.fingerprint < b.finding.fingerprint ? -1 : a.finding.fingerprint > b.finding.fingerprint ? 1 : 0);

/** Per-report outcomes as the reports would get them one by one, from the findings' state before the batch. */
function countOutcomes(ordered: NormalizedRuntimeEvent[][], before: Map<string, FindingState>, counts: FalcoCounts[]): void {
  const state = new Map(before);
  ordered.forEach((events, i) => {
    const mine = new Map<string, { worst: Severity; lastSeen: Date }>();
    for (const e of events) {
      const g = mine.get(e.aggregateKey);
      if (!g) mine.set(e.aggregateKey, { worst: e.severity, lastSeen: e.time });
      else {
        if (SEVERITY_RANK[e.severity] < SEVERITY_RANK[g.worst]) g.worst = e.severity;
        if (e.time > g.lastSeen) g.lastSeen = e.time;
      }
    }
    for (const [fp, g] of mine) {
      const outcome = outcomeOf(state.get(fp), g.worst, g.lastSeen);
      counts[i]![outcome]++;
      counts[i]!.findings++;
      const was = state.get(fp);
      state.set(fp, {
        severity: was && SEVERITY_RANK[was.severity] <= SEVERITY_RANK[g.worst] ? was.severity : g.worst,
        status: outcome === "reopened" || !was ? "OPEN" : was.status,
        resolvedAt: outcome === "reopened" ? null : (was?.resolvedAt ?? null),
      });
    }
  });
}

/** Candidates whose finding is OPEN: one an exception suppressed in this transaction must not alert. */
async function stillOpen(tx: SqlTx, orgId: string, candidates: AlertCandidate[]): Promise<AlertCandidate[]> {
  if (candidates.length === 0) return [];
  const open = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Finding" WHERE id = ANY(${candidates.map((c) => c.findingId)}::text[]) AND COALESCE("orgId", '') = ${orgId} AND status = 'OPEN'`;
  const ids = new Set(open.map((o) => o.id));
  return candidates.filter((c) => ids.has(c.findingId));
}
