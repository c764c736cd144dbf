import { type Db, type DbTx, type Prisma, type Severity } from "@bulwark/db";
import { maskSecretsIn } from "@bulwark/policy";
import { writeSystemAudit } from "../audit.ts";
import { fingerprint } from "../ingest/fingerprint.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { type FindingRow, type UpsertCounts, upsertFindings } from "../ingest/store-findings.ts";
import { type AlertCandidate } from "../notifications/types.ts";

// The one path by which admission decisions are stored, whether Bulwark decided them (central
// webhook) or an enforcement point reports them: an AdmissionDecision row each, stored once per
// (organization, enforcement point, request uid), and for every denied or warned admission one
// POLICY_VIOLATION finding per policy and resource, so the same policy failing on the same resource
// again updates that finding instead of adding one.

export const ADMISSION_FINDING_SOURCE = "admission";

export interface AdmissionViolation {
  policy: string;
  severity: Severity;
  message: string;
  container?: string | undefined;
  path?: string | undefined;
  evidence?: string | undefined;
}

export interface DecisionToStore {
  uid: string | null;
  enforcementPointId: string | null;
  enforcementPoint?: string | null;
  clusterId: string | null;
  /** Cluster name as the caller gave it (known even before the cluster's first inventory). */
  cluster: string | null;
  namespace: string;
  kind: string;
  name: string;
  operation: string;
  allowed: boolean;
  warned: boolean;
  /** Keys of every policy that failed, whatever its enforcement. */
  policies: string[];
  message: string | null;
  userInfo: { username: string; groups: string[]; uid?: string | undefined };
  decidedAt: Date;
  /** Violations of the denying and warning policies; they become findings. */
  violations: AdmissionViolation[];
  /** A break-glass annotation let the object in past these denying policies until expiresAt. */
  breakGlass?: BreakGlass | null;
}

export interface BreakGlass {
  reason: string;
  expiresAt: string;
  policies: string[];
}

/** What findings say about a policy beyond its key; unknown keys (a policy deleted since) get the key as title. */
export interface PolicyInfo {
  name: string;
  description?: string | undefined;
  remediation?: string | undefined;
  mitre?: string[] | undefined;
}

export interface StoredDecisions {
  stored: number;
  duplicates: number;
  findings: UpsertCounts;
  /** New and reopened violation findings, for notify.route (the caller enqueues them after the commit). */
  alerts: AlertCandidate[];
}

const MAX_VIOLATIONS_PER_FINDING = 20;
const SEVERITY_ORDER: readonly Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const keyOf = (d: { enforcementPointId: string | null; uid: string | null }) => `${d.enforcementPointId ?? ""}\u001f${d.uid ?? ""}`;

export function admissionFingerprint(orgId: string, d: Pick<DecisionToStore, "cluster" | "namespace" | "kind" | "name">, policy: string): string {
  return fingerprint("POLICY_VIOLATION", ADMISSION_FINDING_SOURCE, orgId, d.cluster, d.namespace, d.kind, d.name, policy);
}

interface Links {
  namespaceId: string | null;
  workloadId: string | null;
}

/** Namespace and workload rows of the decisions' resources, where the inventory knows them. */
async function linksOf(tx: DbTx, orgId: string, decisions: DecisionToStore[]): Promise<Map<number, Links>> {
  const known = decisions.map((d, i) => ({ d, i })).filter(({ d }) => d.clusterId !== null && d.namespace !== "");
  const out = new Map<number, Links>();
  if (known.length === 0) return out;
  const rows = await tx.$queryRaw<Array<{ i: bigint; namespaceId: string; workloadId: string | null }>>`
    SELECT u.i, n.id AS "namespaceId", w.id AS "workloadId"
    FROM unnest(${known.map((k) => k.d.clusterId)}::text[], ${known.map((k) => k.d.namespace)}::text[], ${known.map((k) => k.d.kind)}::text[],
                ${known.map((k) => k.d.name)}::text[], ${known.map((k) => k.i)}::int[]) AS u(cluster_id, ns, kind, name, i)
    JOIN "Namespace" n ON n."clusterId" = u.cluster_id AND n.name = u.ns AND n."orgId" = ${orgId}
    LEFT JOIN "Workload" w ON w."namespaceId" = n.id AND w."clusterId" = u.cluster_id AND w.kind = u.kind AND w.name = u.name AND w."orgId" = ${orgId}`;
  for (const r of rows) out.set(Number(r.i), { namespaceId: r.namespaceId, workloadId: r.workloadId });
  return out;
}

function findingRows(orgId: string, decisions: DecisionToStore[], links: Map<number, Links>, policies: ReadonlyMap<string, PolicyInfo>): FindingRow[] {
  const byFingerprint = new Map<string, FindingRow>();
  decisions.forEach((d, i) => {
    if (d.allowed && !d.warned) return;
    const byPolicy = new Map<string, AdmissionViolation[]>();
    for (const v of d.violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    for (const [policy, violations] of byPolicy) {
      const info = policies.get(policy);
      const fp = admissionFingerprint(orgId, d, policy);
      const where = `${d.kind} ${d.namespace ? `${d.namespace}/` : ""}${d.name}`;
      const row: FindingRow = {
        finding: {
          fingerprint: fp,
          type: "POLICY_VIOLATION",
          // The worst severity any violation of this policy carries.
          severity: violations.map((v) => v.severity).sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))[0] ?? "MEDIUM",
          title: clip(`${info?.name ?? policy}: ${where}`, 500),
          description: clip(`${where}${d.cluster ? ` in cluster ${d.cluster}` : ""} was ${d.allowed ? "admitted with a warning" : "denied"} by policy ${policy}.${info?.description ? ` ${info.description}` : ""}`, 2000),
          ruleId: policy,
          source: ADMISSION_FINDING_SOURCE,
          packageName: null,
          packageVersion: null,
          fixedVersion: null,
          fixable: false,
          cvssScore: null,
          mitreTechniques: info?.mitre ?? [],
          evidence: {
            decision: d.allowed ? "warned" : "denied",
            operation: d.operation,
            user: maskSecretsIn(d.userInfo.username),
            cluster: d.cluster,
            namespace: d.namespace,
            kind: d.kind,
            name: d.name,
            uid: d.uid,
            enforcementPoint: d.enforcementPoint ?? null,
            violations: violations.slice(0, MAX_VIOLATIONS_PER_FINDING).map((v) => ({
              message: clip(maskSecretsIn(v.message), 1000),
              container: v.container ?? null,
              path: v.path ?? null,
              evidence: v.evidence !== undefined ? clip(maskSecretsIn(v.evidence), 1000) : null,
            })),
          },
          remediation: info?.remediation ?? null,
        },
        clusterId: d.clusterId,
        namespaceId: links.get(i)?.namespaceId ?? null,
        workloadId: links.get(i)?.workloadId ?? null,
        firstSeen: d.decidedAt,
        lastSeen: d.decidedAt,
      };
      // A batch may judge one resource twice; the later decision speaks for both.
      const prev = byFingerprint.get(fp);
      if (!prev || prev.lastSeen <= row.lastSeen) byFingerprint.set(fp, prev ? { ...row, firstSeen: prev.firstSeen < row.firstSeen ? prev.firstSeen : row.firstSeen } : row);
    }
  });
  return [...byFingerprint.values()];
}

/**
 * Stores decisions and their findings in one transaction. A decision whose (enforcement point, uid)
 * is already stored is a re-sent one: it stores nothing and creates no finding.
 */
export async function storeAdmissionDecisions(db: Db, orgId: string, decisions: DecisionToStore[], policies: ReadonlyMap<string, PolicyInfo>): Promise<StoredDecisions> {
  const unique = [...new Map(decisions.map((d) => [keyOf(d), d])).values()];
  return db.$transaction(async (tx) => {
    // The unique index treats a NULL enforcement point as distinct, so the central webhook's own
    // decisions are checked by uid here (Kubernetes re-sends a uid only on retries).
    const centralUids = unique.filter((d) => d.enforcementPointId === null && d.uid !== null).map((d) => d.uid!);
    const seen = centralUids.length
      ? new Set((await tx.admissionDecision.findMany({ where: { orgId, enforcementPointId: null, uid: { in: centralUids } }, select: { uid: true } })).map((r) => r.uid))
      : new Set<string | null>();
    const fresh = unique.filter((d) => d.enforcementPointId !== null || d.uid === null || !seen.has(d.uid));
    const inserted = await tx.admissionDecision.createManyAndReturn({
      data: fresh.map((d) => ({
        orgId,
        uid: d.uid,
        enforcementPointId: d.enforcementPointId,
        clusterId: d.clusterId,
        namespace: d.namespace,
        kind: d.kind,
        name: d.name,
        operation: d.operation,
        allowed: d.allowed,
        warned: d.warned,
        policies: d.policies,
        message: d.message,
        userInfo: d.userInfo as Prisma.InputJsonValue,
        decidedAt: d.decidedAt,
        ...(d.breakGlass ? { breakGlass: d.breakGlass as unknown as Prisma.InputJsonValue } : {}),
      })),
      skipDuplicates: true,
      select: { uid: true, enforcementPointId: true },
    });
    const insertedKeys = new Set(inserted.map(keyOf));
    const stored = fresh.filter((d) => insertedKeys.has(keyOf(d)));
    const links = await linksOf(tx, orgId, stored);
    const upserted = await upsertFindings(tx, orgId, findingRows(orgId, stored, links, policies));
    const { created, updated, reopened, unchanged } = upserted;
    // Approved exceptions cover new and reopened violation findings in the same transaction (exceptions/apply.ts).
    await applyExceptions(tx, orgId, { findingIds: [...upserted.ids.values()] });
    // A bypass of enforcement is an admin-grade event: each one is in the audit log, once (re-sent
    // decisions were not stored again above).
    for (const d of stored) {
      if (!d.breakGlass) continue;
      await writeSystemAudit(tx, orgId, `enforcement point ${d.enforcementPoint ?? "central"}`, {
        action: "admission.break_glass",
        targetType: "workload",
        targetId: null,
        metadata: { cluster: d.cluster, namespace: d.namespace, kind: d.kind, name: d.name, user: d.userInfo.username, uid: d.uid, ...d.breakGlass },
      });
    }
    const alerts: AlertCandidate[] = [];
    for (const [fp, outcome] of upserted.outcomes) {
      const findingId = upserted.ids.get(fp);
      if (findingId && (outcome === "created" || outcome === "reopened")) alerts.push({ findingId, reason: outcome });
    }
    return { stored: stored.length, duplicates: decisions.length - stored.length, findings: { created, updated, reopened, unchanged }, alerts };
  });
}
