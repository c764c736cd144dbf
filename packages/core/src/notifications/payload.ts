import { type Db, type DbTx } from "@bulwark/db";
import { type AlertFindingType, type AlertSeverity, type RoutableFinding } from "./routing.ts";

// The alert document: what every channel renders, stored on the delivery row (so a retry sends what
// the first attempt would have, and the log shows it) and never containing channel secrets. Finding
// descriptions and raw evidence stay out: Falco output and admission messages may quote command lines.

export const ALERT_PAYLOAD_VERSION = 1;

export interface AlertFinding {
  id: string;
  type: AlertFindingType;
  severity: AlertSeverity;
  status: string;
  title: string;
  rule: string;
  source: string;
  cluster: string | null;
  namespace: string | null;
  workload: { kind: string | null; name: string } | null;
  image: string | null;
  /**
   * A vulnerability's package: what is installed and the first version that fixes it (null: no fix
   * yet). Null for other findings. Optional because deliveries stored before it existed lack it.
   */
  package?: { name: string; version: string | null; fixedVersion: string | null } | null;
  cvss?: number | null;
  mitre: string[];
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  /** The finding in the dashboard; null when the worker does not know the dashboard URL. */
  url: string | null;
}

export interface AlertPayload {
  version: typeof ALERT_PAYLOAD_VERSION;
  kind: "alert" | "test";
  /** created, reopened, escalated, or test. */
  reason: string;
  organization: { slug: string; name: string };
  finding: AlertFinding;
}

/** The webhook body: the stored document plus what identifies this sending. */
export interface SentPayload extends AlertPayload {
  deliveryId: string;
  sentAt: string;
}

export interface AlertFindingRow {
  id: string;
  type: AlertFindingType;
  severity: AlertSeverity;
  status: string;
  title: string;
  ruleId: string;
  source: string;
  mitreTechniques: string[] | null;
  occurrences: number;
  firstSeen: Date;
  lastSeen: Date;
  evidence: unknown;
  cluster: string | null;
  namespace: string | null;
  workloadKind: string | null;
  workloadName: string | null;
  image: string | null;
  packageName: string | null;
  packageVersion: string | null;
  fixedVersion: string | null;
  cvssScore: number | null;
}

/** One statement (it runs inside the claim's transaction, where Prisma's relation loading would interleave queries). */
export async function loadAlertFindings(db: Db | DbTx, orgId: string, ids: string[]): Promise<AlertFindingRow[]> {
  if (ids.length === 0) return [];
  return db.$queryRaw<AlertFindingRow[]>`
    SELECT f.id, f.type::text AS type, f.severity::text AS severity, f.status::text AS status, f.title, f."ruleId", f.source, f."mitreTechniques",
      f.occurrences, f."firstSeen", f."lastSeen", f.evidence, c.name AS cluster, COALESCE(n.name, wn.name) AS namespace,
      w.kind AS "workloadKind", w.name AS "workloadName", f."packageName", f."packageVersion", f."fixedVersion", f."cvssScore",
      CASE WHEN i.id IS NULL THEN NULL ELSE i."registryHost" || '/' || i.repository || '@' || i.digest END AS image
    FROM "Finding" f
    LEFT JOIN "Cluster" c ON c.id = f."clusterId"
    LEFT JOIN "Namespace" n ON n.id = f."namespaceId"
    LEFT JOIN "Workload" w ON w.id = f."workloadId"
    LEFT JOIN "Namespace" wn ON wn.id = w."namespaceId"
    LEFT JOIN "Image" i ON i.id = f."imageId"
    WHERE f."orgId" = ${orgId} AND f.id = ANY(${ids}::text[])`;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);

export function dashboardLink(dashboardUrl: string | null, path: string): string | null {
  if (!dashboardUrl) return null;
  return `${dashboardUrl.replace(/\/+$/, "")}${path}`;
}

/** Inventory links win; a finding the inventory does not know yet still says where it happened (evidence). */
export function toAlertFinding(row: AlertFindingRow, dashboardUrl: string | null): AlertFinding {
  const ev = (row.evidence && typeof row.evidence === "object" && !Array.isArray(row.evidence) ? row.evidence : {}) as Record<string, unknown>;
  const evWorkload = str(ev.workload) ?? str(ev.name);
  const workload = row.workloadName ? { kind: row.workloadKind, name: row.workloadName } : evWorkload ? { kind: str(ev.kind), name: evWorkload } : null;
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    status: row.status,
    title: row.title,
    rule: row.ruleId,
    source: row.source,
    cluster: row.cluster ?? str(ev.cluster),
    namespace: row.namespace ?? str(ev.namespace),
    workload,
    image: row.image ?? str(ev.image),
    package: row.packageName ? { name: row.packageName, version: row.packageVersion, fixedVersion: row.fixedVersion } : null,
    cvss: row.cvssScore,
    // The driver reads an empty text[] as null.
    mitre: row.mitreTechniques ?? [],
    occurrences: row.occurrences,
    firstSeen: new Date(row.firstSeen).toISOString(),
    lastSeen: new Date(row.lastSeen).toISOString(),
    url: dashboardLink(dashboardUrl, `/findings/${encodeURIComponent(row.id)}`),
  };
}

export function routable(f: AlertFinding): RoutableFinding {
  return { type: f.type, severity: f.severity, cluster: f.cluster, ruleId: f.rule };
}

/** What a test-send carries: a realistic alert, marked as a test so receivers can tell it apart. */
export function testPayload(org: { slug: string; name: string }, dashboardUrl: string | null, now: Date): AlertPayload {
  return {
    version: ALERT_PAYLOAD_VERSION,
    kind: "test",
    reason: "test",
    organization: org,
    finding: {
      id: "test",
      type: "RUNTIME",
      severity: "INFO",
      status: "OPEN",
      title: "Test notification from Bulwark",
      rule: "bulwark-test-notification",
      source: "bulwark",
      cluster: null,
      namespace: null,
      workload: null,
      image: null,
      package: null,
      cvss: null,
      mitre: [],
      occurrences: 1,
      firstSeen: now.toISOString(),
      lastSeen: now.toISOString(),
      url: dashboardLink(dashboardUrl, "/settings/notifications"),
    },
  };
}

/** A stored payload read back; rows are written only by this module, so a shape check suffices. */
export function readPayload(stored: unknown): AlertPayload | null {
  if (!stored || typeof stored !== "object") return null;
  const p = stored as Partial<AlertPayload>;
  return p.version === ALERT_PAYLOAD_VERSION && p.finding && typeof p.finding === "object" && p.organization ? (p as AlertPayload) : null;
}
