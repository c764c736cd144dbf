import { canCopy, type CopyValue, Prisma, type SqlTx } from "@bulwark/db";
import { type NormalizedRuntimeEvent } from "../ingest/normalized.ts";
import { newId } from "../ingest/store-findings.ts";
import { type RuntimeLink } from "./links.ts";

// Raw Falco events into "RuntimeEvent" in one statement per batch: INSERT … ON CONFLICT (orgId,
// eventKey) DO NOTHING, so an event re-sent (a connector retrying, a report posted twice) is stored
// once and the caller learns exactly which events are new. Many events are staged with COPY on a
// COPY-capable transaction (text format, parsed several times faster than parameters); fewer travel
// as one jsonb document.

export interface EventRow {
  event: NormalizedRuntimeEvent;
  link: RuntimeLink;
  findingId: string;
}

const COLUMNS = [
  ["id", "text"], ["cluster_id", "text"], ["ns", "text"], ["pod", "text"], ["container", "text"], ["workload_id", "text"],
  ["finding_id", "text"], ["rule", "text"], ["priority", "text"], ["source", "text"], ["output", "text"], ["time", "timestamptz"],
  ["fields", "jsonb"], ["tags", "text[]"], ["process", "text"], ["event_key", "text"],
] as const;

const COPY_MIN_ROWS = 200;

/**
 * Ids that grow with time (base-36 milliseconds, then random): millions of events a day are inserted
 * near the right edge of the primary key index instead of at random pages across it.
 */
function eventId(now: number): string {
  return `e${now.toString(36).padStart(9, "0")}${newId().slice(1, 13)}`;
}

function values(r: EventRow, id: string): Record<(typeof COLUMNS)[number][0], unknown> {
  const e = r.event;
  return {
    id, cluster_id: r.link.clusterId, ns: e.namespace, pod: e.pod, container: e.container?.name ?? e.container?.id ?? null, workload_id: r.link.workloadId,
    finding_id: r.findingId, rule: e.rule, priority: e.priority, source: e.source, output: e.output, time: e.time.toISOString(),
    fields: e.fields, tags: e.tags, process: e.process, event_key: e.eventKey,
  };
}

/** Stores the rows not stored before (by event key); answers the indexes into `rows` of those it stored. */
export async function storeRuntimeEvents(tx: SqlTx, orgId: string, rows: readonly EventRow[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const now = Date.now();
  const ids = rows.map(() => eventId(now));
  const columns = Prisma.raw(COLUMNS.map(([name, type]) => `${name} ${type}`).join(", "));
  let input: Prisma.Sql;
  if (canCopy(tx) && rows.length >= COPY_MIN_ROWS) {
    await tx.$executeRaw`CREATE TEMP TABLE IF NOT EXISTS bulwark_runtime_event_stage (${columns}) ON COMMIT DELETE ROWS`;
    await tx.$executeRaw`TRUNCATE bulwark_runtime_event_stage`;
    await tx.copyRows(
      "bulwark_runtime_event_stage",
      COLUMNS.map(([name]) => name),
      rows.map((r, i) => {
        const v = values(r, ids[i]!);
        return COLUMNS.map(([name]) => (name === "fields" ? JSON.stringify(v.fields) : name === "tags" ? pgTextArray(v.tags as string[]) : (v[name] as CopyValue)));
      }),
    );
    input = Prisma.sql`SELECT * FROM bulwark_runtime_event_stage`;
  } else {
    const payload = JSON.stringify(rows.map((r, i) => values(r, ids[i]!)));
    input = Prisma.sql`SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS t(${columns})`;
  }
  // Sorted by key: concurrent batches sharing events then wait on each other in one order, never in a cycle.
  const stored = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "RuntimeEvent" (id, "orgId", "clusterId", namespace, pod, container, "workloadId", "findingId", rule, priority, source,
      output, time, fields, tags, process, "eventKey", "receivedAt")
    SELECT id, ${orgId}, cluster_id, ns, pod, container, workload_id, finding_id, rule, priority, source,
      output, time AT TIME ZONE 'UTC', fields, tags, process, event_key, now() AT TIME ZONE 'UTC'
    FROM (${input}) AS s ORDER BY event_key
    ON CONFLICT ("orgId", "eventKey") DO NOTHING
    RETURNING id`;
  const index = new Map(ids.map((id, i) => [id, i]));
  return new Set(stored.map((s) => index.get(s.id)!));
}

/** A text[] literal: every element quoted, so commas, braces and quotes inside survive. */
function pgTextArray(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}
