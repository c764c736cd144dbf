import { type SqlTx } from "@bulwark/db";
import { fingerprint } from "../ingest/fingerprint.ts";
import { type NormalizedRuntimeEvent } from "../ingest/normalized.ts";
import { type FindingRow, newId } from "../ingest/store-findings.ts";
import { BASELINE_RULE, BASELINE_SOURCE, MAX_BASELINE_PROCESSES } from "./baseline-view.ts";
import { type RuntimeLink } from "./links.ts";

// Process baselines, applied to a batch of newly stored events in the order they were reported: a
// (workload, container) baseline is created on first sight and learns processes until learningEndsAt;
// the first event at or after that time locks it; on a locked baseline a process outside the set is an
// anomaly. The baselines involved are read once (FOR UPDATE, so concurrent batches and the lock / add
// use cases apply one after the other) and written once; creating missing ones costs one more insert.

export interface BaselineEvent {
  event: NormalizedRuntimeEvent;
  link: RuntimeLink;
  /** Index of the report in the batch, for per-report counts. */
  report: number;
}

export interface Anomaly extends BaselineEvent {
  baselineId: string;
  container: string;
}

interface State {
  id: string;
  status: "LEARNING" | "LOCKED";
  processes: Set<string>;
  learningEndsAt: Date;
  lockedAt: Date | null;
  lockedNow: boolean;
  changed: boolean;
}

interface Row {
  id: string;
  workloadId: string;
  container: string;
  status: "LEARNING" | "LOCKED";
  processes: string[];
  learningEndsAt: Date;
  lockedAt: Date | null;
}

const keyOf = (workloadId: string, container: string) => `${workloadId}\u001f${container}`;

/** Events a baseline applies to: syscall events naming a process in an inventoried workload. */
export function baselineRelevant(e: NormalizedRuntimeEvent, link: RuntimeLink): boolean {
  return e.source === "syscall" && e.process !== null && link.workloadId !== null;
}

/**
 * Learns, locks and checks; answers the anomalies (events whose process is outside a locked baseline).
 * `events` must be in processing order (report by report, each report's events by time), which makes a
 * batch of reports decide exactly as the same reports processed one by one.
 */
export async function applyBaselines(tx: SqlTx, orgId: string, events: readonly BaselineEvent[]): Promise<Anomaly[]> {
  const relevant = events.filter((b) => baselineRelevant(b.event, b.link));
  if (relevant.length === 0) return [];
  const firstSight = new Map<string, { workloadId: string; container: string; time: Date }>();
  for (const b of relevant) {
    const container = b.event.container?.name ?? "";
    const k = keyOf(b.link.workloadId!, container);
    if (!firstSight.has(k)) firstSight.set(k, { workloadId: b.link.workloadId!, container, time: b.event.time });
  }
  const wanted = [...firstSight.values()];
  const rows = await lockRows(tx, orgId, wanted);
  const have = new Set(rows.map((r) => keyOf(r.workloadId, r.container)));
  const missing = wanted.filter((w) => !have.has(keyOf(w.workloadId, w.container)));
  if (missing.length > 0) {
    const created = await createRows(tx, orgId, missing);
    rows.push(...created);
    const made = new Set(created.map((r) => keyOf(r.workloadId, r.container)));
    // Created meanwhile by a concurrent batch (our insert waited for it and skipped): read and lock theirs.
    const raced = missing.filter((w) => !made.has(keyOf(w.workloadId, w.container)));
    if (raced.length > 0) rows.push(...(await lockRows(tx, orgId, raced)));
  }

  const state = new Map<string, State>();
  for (const r of rows) {
    state.set(keyOf(r.workloadId, r.container), {
      id: r.id, status: r.status, processes: new Set(r.processes), learningEndsAt: r.learningEndsAt, lockedAt: r.lockedAt, lockedNow: false, changed: false,
    });
  }
  const anomalies: Anomaly[] = [];
  for (const b of relevant) {
    const container = b.event.container?.name ?? "";
    const s = state.get(keyOf(b.link.workloadId!, container));
    if (!s) continue; // the workload was deleted while this batch ran
    const process = b.event.process!;
    if (s.status === "LEARNING" && b.event.time >= s.learningEndsAt) {
      // The window ran out: the baseline is locked as of its end, before this event is judged.
      Object.assign(s, { status: "LOCKED", lockedAt: s.learningEndsAt, lockedNow: true, changed: true });
    }
    // An event from before the lock that arrives after it (falcosidekick retrying after an outage, or
    // an urgent report processed ahead of older ones) happened while the baseline was learning: it is
    // learned, not flagged, which keeps late delivery from raising anomalies for normal processes.
    const learns = s.status === "LEARNING" || (s.lockedAt !== null && b.event.time < s.lockedAt);
    if (learns) {
      if (!s.processes.has(process) && s.processes.size < MAX_BASELINE_PROCESSES) {
        s.processes.add(process);
        s.changed = true;
      }
    } else if (!s.processes.has(process)) {
      anomalies.push({ ...b, baselineId: s.id, container });
    }
  }
  await writeRows(tx, orgId, [...state.values()].filter((s) => s.changed));
  return anomalies;
}

async function lockRows(tx: SqlTx, orgId: string, keys: readonly { workloadId: string; container: string }[]): Promise<Row[]> {
  return tx.$queryRaw<Row[]>`
    SELECT b.id, b."workloadId", b.container, b.status::text AS status, b.processes, b."learningEndsAt", b."lockedAt"
    FROM "ProcessBaseline" b
    JOIN unnest(${keys.map((k) => k.workloadId)}::text[], ${keys.map((k) => k.container)}::text[]) AS k(w, c) ON b."workloadId" = k.w AND b.container = k.c
    WHERE b."orgId" = ${orgId}
    ORDER BY b.id
    FOR UPDATE OF b`;
}

async function createRows(tx: SqlTx, orgId: string, missing: readonly { workloadId: string; container: string; time: Date }[]): Promise<Row[]> {
  const [org] = await tx.$queryRaw<Array<{ minutes: number }>>`SELECT "baselineLearningMinutes" AS minutes FROM "Organization" WHERE id = ${orgId}`;
  const windowMs = (org?.minutes ?? 1440) * 60_000;
  const sorted = [...missing].sort((a, b) => (a.workloadId === b.workloadId ? (a.container < b.container ? -1 : 1) : a.workloadId < b.workloadId ? -1 : 1));
  return tx.$queryRaw<Row[]>`
    INSERT INTO "ProcessBaseline" (id, "orgId", "workloadId", container, status, processes, "learningEndsAt", "createdAt", "updatedAt")
    SELECT id, ${orgId}, w, c, 'LEARNING', '{}', ends AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM unnest(${sorted.map(() => newId())}::text[], ${sorted.map((m) => m.workloadId)}::text[], ${sorted.map((m) => m.container)}::text[],
      ${sorted.map((m) => new Date(m.time.getTime() + windowMs).toISOString())}::timestamptz[]) WITH ORDINALITY AS t(id, w, c, ends, n)
    -- A workload deleted (cascade) since it was resolved would fail the foreign key: skip it.
    WHERE EXISTS (SELECT 1 FROM "Workload" x WHERE x.id = t.w AND x."orgId" = ${orgId})
    ORDER BY n
    ON CONFLICT ("workloadId", container) DO NOTHING
    RETURNING id, "workloadId", container, status::text AS status, processes, "learningEndsAt", "lockedAt"`;
}

async function writeRows(tx: SqlTx, orgId: string, changed: readonly State[]): Promise<void> {
  if (changed.length === 0) return;
  const payload = JSON.stringify(
    changed.map((s) => ({ id: s.id, status: s.status, processes: [...s.processes], locked_now: s.lockedNow, locked_at: s.lockedAt?.toISOString() ?? null })),
  );
  await tx.$executeRaw`
    UPDATE "ProcessBaseline" b SET status = u.status::"BaselineStatus", processes = ARRAY(SELECT jsonb_array_elements_text(u.processes)),
      "lockedAt" = CASE WHEN u.locked_now THEN u.locked_at AT TIME ZONE 'UTC' ELSE b."lockedAt" END,
      "lockedById" = CASE WHEN u.locked_now THEN NULL ELSE b."lockedById" END,
      "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${payload}::jsonb) AS u(id text, status text, processes jsonb, locked_now boolean, locked_at timestamptz)
    WHERE b.id = u.id AND b."orgId" = ${orgId}`;
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "pdksh", "csh", "tcsh", "fish", "rbash", "hush"]);
const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** A shell, including busybox running its sh/ash applet ("busybox sh -c …"). */
export function isShell(process: string, cmdline: string | null): boolean {
  const name = basename(process);
  if (SHELLS.has(name)) return true;
  if (name !== "busybox") return false;
  const words = (cmdline ?? "").trim().split(/\s+/).map(basename);
  return words.slice(0, 2).some((w) => SHELLS.has(w));
}

/**
 * One finding per (workload, container, process); MEDIUM, or HIGH with T1059 for a shell. Occurrences
 * are the anomalous events of this batch (the upsert adds them to a stored finding's).
 */
export function anomalyFindings(anomalies: readonly Anomaly[]): FindingRow[] {
  const groups = new Map<string, { a: Anomaly; first: Date; last: Date; n: number }>();
  for (const a of anomalies) {
    const fp = fingerprint("RUNTIME", BASELINE_RULE, a.link.workloadId, a.container, a.event.process);
    const g = groups.get(fp);
    if (!g) groups.set(fp, { a, first: a.event.time, last: a.event.time, n: 1 });
    else {
      g.n++;
      if (a.event.time < g.first) g.first = a.event.time;
      // The latest event's details (pod, command line) describe the finding.
      if (a.event.time >= g.last) Object.assign(g, { last: a.event.time, a });
    }
  }
  const rows: FindingRow[] = [];
  for (const [fp, { a, first, last, n }] of groups) {
    const e = a.event;
    const process = e.process!;
    const shell = isShell(process, e.cmdline);
    const where = [e.namespace, e.workload].filter(Boolean).join("/") + (a.container ? ` (container ${a.container})` : "");
    rows.push({
      finding: {
        fingerprint: fp,
        type: "RUNTIME",
        severity: shell ? "HIGH" : "MEDIUM",
        title: `Process outside baseline: ${basename(process)} in ${where}`,
        description: `${process} ran in ${where}, which is not in the container's locked process baseline${e.cmdline ? ` (command line: ${e.cmdline.slice(0, 1_000)})` : ""}.`,
        ruleId: BASELINE_RULE,
        source: BASELINE_SOURCE,
        packageName: null,
        packageVersion: null,
        fixedVersion: null,
        fixable: false,
        cvssScore: null,
        mitreTechniques: shell ? ["T1059"] : [],
        evidence: {
          process, container: a.container, baselineId: a.baselineId, cmdline: e.cmdline, user: e.user, cluster: e.cluster, namespace: e.namespace,
          workload: e.workload, pod: e.pod, imageRepository: e.imageRepository,
        },
        remediation: "If the process is expected, add it to the baseline (this resolves the finding); otherwise investigate the pod.",
        target: e.pod ?? "",
      },
      clusterId: a.link.clusterId,
      workloadId: a.link.workloadId,
      namespaceId: a.link.namespaceId,
      firstSeen: first,
      lastSeen: last,
      occurrences: n,
    });
  }
  return rows;
}
