import { createHash } from "node:crypto";
import { Prisma, type SqlTransaction } from "@bulwark/db";
import { maskSecretsIn, type PolicyMetadata, type Violation } from "@bulwark/policy";
import { applyExceptions } from "../exceptions/apply.ts";
import { fingerprint } from "../ingest/fingerprint.ts";
import { isTechniqueId } from "../ingest/mitre.ts";
import { type FindingRow, upsertFindings, utc } from "../ingest/store-findings.ts";

// Failing policies of the stored inventory as workload-level MISCONFIGURATION findings. One finding per
// (workload, policy); only what changed is written: new failures, failures that came back, and findings
// whose content moved (severity, text, violations). Open findings whose policy now passes (or was
// disabled, deleted, or waived) resolve. lastSeen of unchanged open findings moves at most hourly, so a
// re-evaluation of 20,000 workloads does not rewrite 100,000 findings.

export const POLICY_FINDING_SOURCE = "bulwark-policy";

const MAX_VIOLATIONS = 20;
// The engine's own pre-filter (engine/evaluate.ts): most messages ("Container "a" runs privileged") cannot
// hold a secret, and the full masking pass over 100,000 findings' texts would dominate an evaluation.
const SECRET_HINT = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox|sk_|AIza|eyJ|bwk_|PRIVATE KEY|:\/\/|pass|secret|token|key|credential|auth/i;
const masked = (s: string) => (SECRET_HINT.test(s) ? maskSecretsIn(s) : s);
const LAST_SEEN_REFRESH_MS = 3_600_000;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export interface PolicyFailure {
  workloadId: string;
  clusterId: string;
  namespaceId: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  result: "fail" | "warn";
  policy: Pick<PolicyMetadata, "id" | "name" | "description" | "remediation" | "severity" | "mitre">;
  violations: Violation[];
}

export function policyFindingFingerprint(f: Pick<PolicyFailure, "clusterId" | "namespace" | "kind" | "name">, policy: string): string {
  return fingerprint("MISCONFIGURATION", POLICY_FINDING_SOURCE, f.clusterId, f.namespace, f.kind, f.name, policy);
}

/** The finding for one failing policy; evidence.signature digests everything else, so unchanged findings are not rewritten. */
export function policyFindingRow(f: PolicyFailure, now: Date): FindingRow {
  const where = `${f.kind} ${f.namespace}/${f.name}`;
  const content = {
    severity: f.policy.severity,
    title: clip(`${f.policy.name}: ${where}`, 500),
    description: clip(`${where} in cluster ${f.cluster} fails policy ${f.policy.id}. ${f.policy.description}`, 2000),
    remediation: f.policy.remediation || null,
    mitreTechniques: [...new Set(f.policy.mitre.filter(isTechniqueId))].sort(),
    violations: f.violations.slice(0, MAX_VIOLATIONS).map((v) => ({
      message: clip(masked(v.message), 1000),
      container: v.container ?? null,
      path: v.path ?? null,
      evidence: v.evidence !== undefined ? clip(masked(v.evidence), 1000) : null,
    })),
    result: f.result,
  };
  const signature = createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 32);
  return {
    finding: {
      fingerprint: policyFindingFingerprint(f, f.policy.id),
      type: "MISCONFIGURATION",
      severity: content.severity,
      title: content.title,
      description: content.description,
      ruleId: f.policy.id,
      source: POLICY_FINDING_SOURCE,
      packageName: null,
      packageVersion: null,
      fixedVersion: null,
      fixable: false,
      cvssScore: null,
      mitreTechniques: content.mitreTechniques,
      evidence: {
        cluster: f.cluster,
        namespace: f.namespace,
        kind: f.kind,
        name: f.name,
        result: f.result,
        violations: content.violations,
        more: Math.max(0, f.violations.length - MAX_VIOLATIONS),
        signature,
      },
      remediation: content.remediation,
    },
    workloadId: f.workloadId,
    clusterId: f.clusterId,
    namespaceId: f.namespaceId,
    firstSeen: now,
    lastSeen: now,
  };
}

export interface PolicyFindingCounts {
  created: number;
  reopened: number;
  updated: number;
  resolved: number;
  suppressed: number;
}

interface Existing {
  id: string;
  fingerprint: string;
  status: string;
  signature: string | null;
  lastSeen: Date;
}

/**
 * Stores `rows` (every current failure within the scope) and resolves the scope's open policy findings
 * that are no longer among them. The scope is the organization, or one cluster of it.
 */
export async function storePolicyFindings(tx: SqlTransaction, orgId: string, clusterId: string | undefined, rows: FindingRow[], now: Date): Promise<PolicyFindingCounts> {
  const inCluster = clusterId === undefined ? Prisma.empty : Prisma.sql`AND "clusterId" = ${clusterId}`;
  const existing = await tx.$queryRaw<Existing[]>`
    SELECT id, fingerprint, status::text AS status, evidence->>'signature' AS signature, "lastSeen"
    FROM "Finding"
    WHERE "orgId" = ${orgId} AND type = 'MISCONFIGURATION' AND source = ${POLICY_FINDING_SOURCE} ${inCluster}`;
  const byFingerprint = new Map(existing.map((e) => [e.fingerprint, e]));
  const current = new Set<string>();
  const write: FindingRow[] = [];
  const knownNew = new Set<string>();
  const touch: string[] = [];
  const staleBefore = now.getTime() - LAST_SEEN_REFRESH_MS;
  for (const row of rows) {
    const fp = row.finding.fingerprint;
    if (current.has(fp)) continue;
    current.add(fp);
    const old = byFingerprint.get(fp);
    if (!old) {
      knownNew.add(fp);
      write.push(row);
    } else if (old.status === "RESOLVED" || old.signature !== row.finding.evidence["signature"]) {
      write.push(row);
    } else if (old.status === "OPEN" && old.lastSeen.getTime() < staleBefore) {
      touch.push(old.id);
    }
  }
  const counts: PolicyFindingCounts = { created: 0, reopened: 0, updated: 0, resolved: 0, suppressed: 0 };
  if (write.length > 0) {
    const upserted = await upsertFindings(tx, orgId, write, { knownNew });
    counts.created = upserted.created;
    counts.reopened = upserted.reopened;
    counts.updated = upserted.updated + upserted.unchanged;
    // Approved exceptions cover new and reopened findings in the same transaction (exceptions/apply.ts).
    counts.suppressed = await applyExceptions(tx, orgId, { findingIds: [...upserted.ids.values()] }, { now });
  }
  const gone = existing.filter((e) => e.status === "OPEN" && !current.has(e.fingerprint)).map((e) => e.id);
  for (let i = 0; i < gone.length; i += 10_000) {
    counts.resolved += await tx.$executeRaw`UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = ${utc(now)}, "updatedAt" = now()
      WHERE id = ANY(${gone.slice(i, i + 10_000)}::text[]) AND status = 'OPEN'`;
  }
  for (let i = 0; i < touch.length; i += 10_000) {
    await tx.$executeRaw`UPDATE "Finding" SET "lastSeen" = ${utc(now)} WHERE id = ANY(${touch.slice(i, i + 10_000)}::text[])`;
  }
  return counts;
}
