import { type DbTx } from "@bulwark/db";
import { fingerprint } from "../ingest/fingerprint.ts";
import { type FindingRow, upsertFindings, utc } from "../ingest/store-findings.ts";

// Unauthorized deployment (MITRE ATT&CK T1610) around admission: once a cluster has an enforcement
// point, every workload created there afterwards should have an admission decision from it (or from
// the central webhook). One that shows up in the inventory without any was deployed around admission:
// the webhook was down and failing open, a static pod, a kubelet or etcd written to directly. Each
// becomes a finding that resolves once a decision for the workload exists, or the workload is gone.

export const COVERAGE_SOURCE = "admission-coverage";
export const COVERAGE_RULE = "deployed-without-admission";

/**
 * Decisions travel in batches (an enforcement point flushes every few seconds, and retries while
 * central is unreachable): a workload younger than this is not judged yet.
 */
export const COVERAGE_GRACE_MINUTES = 10;

interface Candidate {
  id: string;
  namespaceId: string;
  namespace: string;
  kind: string;
  name: string;
  created: Date;
}

/** Flags live workloads of the cluster created since its enforcement started that no decision covers. */
export async function checkAdmissionCoverage(tx: DbTx, orgId: string, clusterId: string, at: Date): Promise<{ unadmitted: number; admissionResolved: number }> {
  const [points] = await tx.$queryRaw<Array<{ since: Date | null; excluded: string[] | null; names: string[] | null }>>`
    SELECT min("createdAt") AS since, array_agg(DISTINCT ex) FILTER (WHERE ex IS NOT NULL) AS excluded, array_agg(DISTINCT name) AS names
    FROM "EnforcementPoint" LEFT JOIN LATERAL unnest("excludedNamespaces") AS ex ON true
    WHERE "orgId" = ${orgId} AND "clusterId" = ${clusterId}`;
  if (!points?.since) return { unadmitted: 0, admissionResolved: 0 };
  const excluded = points.excluded ?? [];
  const graceEnd = new Date(at.getTime() - COVERAGE_GRACE_MINUTES * 60_000);

  const unadmitted = await tx.$queryRaw<Candidate[]>`
    SELECT w.id, w."namespaceId", n.name AS namespace, w.kind, w.name, COALESCE(w."createdInCluster", w."firstSeen") AS created
    FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId"
    WHERE w."orgId" = ${orgId} AND w."clusterId" = ${clusterId} AND NOT w.deleted
      AND COALESCE(w."createdInCluster", w."firstSeen") >= ${utc(points.since)}
      AND COALESCE(w."createdInCluster", w."firstSeen") <= ${utc(graceEnd)}
      AND NOT (n.name = ANY(${excluded}::text[]))
      AND NOT EXISTS (
        SELECT 1 FROM "AdmissionDecision" d
        WHERE d."orgId" = ${orgId} AND d."clusterId" = ${clusterId} AND d.namespace = n.name AND d.kind = w.kind AND d.name = w.name
          AND d.operation IN ('CREATE', 'UPDATE'))
    ORDER BY n.name, w.kind, w.name`;

  const rows: FindingRow[] = unadmitted.map((w) => ({
    finding: {
      fingerprint: fingerprint("ADMISSION_COVERAGE", clusterId, w.namespace, w.kind, w.name),
      type: "POLICY_VIOLATION",
      severity: "HIGH",
      title: `${w.kind} ${w.namespace}/${w.name} was deployed without admission`,
      description:
        "This workload appeared in the cluster's inventory after enforcement started, but no enforcement point (or the central webhook) ever decided on it. It was deployed around admission: the webhook was unavailable and failing open, it is a static pod, or it was written to the kubelet or etcd directly.",
      ruleId: COVERAGE_RULE,
      source: COVERAGE_SOURCE,
      packageName: null,
      packageVersion: null,
      fixedVersion: null,
      fixable: false,
      cvssScore: null,
      mitreTechniques: ["T1610"],
      evidence: { createdAt: w.created.toISOString(), enforcementSince: points.since!.toISOString(), enforcementPoints: points.names ?? [], excludedNamespaces: excluded },
      remediation:
        "Check who created it (the API server's audit log) and whether the enforcement point was down at that time; redeploy it through admission, or delete it if nobody should have deployed it.",
    },
    workloadId: w.id,
    clusterId,
    namespaceId: w.namespaceId,
    firstSeen: at,
    lastSeen: at,
  }));
  if (rows.length > 0) await upsertFindings(tx, orgId, rows);
  const keep = rows.map((r) => r.finding.fingerprint);
  const admissionResolved = await tx.$executeRaw`
    UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = ${utc(at)}, "updatedAt" = now()
    WHERE "orgId" = ${orgId} AND "clusterId" = ${clusterId} AND source = ${COVERAGE_SOURCE} AND status = 'OPEN'
      AND NOT (fingerprint = ANY(${keep}::text[]))`;
  return { unadmitted: rows.length, admissionResolved };
}
