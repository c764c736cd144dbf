import { type Db, plainSql } from "@bulwark/db";
import { applyExceptions as waive, evaluate } from "@bulwark/policy";
import { readBundleSettings, readPolicyExceptions } from "../bundles/content.ts";
import { forEachWorkloadInput } from "../policies/inventory-inputs.ts";
import { assessRisk, emptyRiskFacts, podSpecExposure, type RiskFacts } from "../risk/score.ts";
import { loadPolicySet } from "./load-policy-set.ts";

// Recomputes every live workload's risk score and factors of one organization from what is stored:
// open vulnerabilities of the images it runs (fixable critical/high, exploitation flags from the
// advisory store), the privilege-related policies it fails (evaluated now, exceptions honoured), how
// it is exposed, and open runtime alerts. Only rows whose score or factors changed are written.

interface VulnRow {
  imageId: string;
  crit: bigint;
  high: bigint;
}

export async function refreshRiskScores(db: Db, orgId: string, now = new Date()): Promise<{ workloads: number; changed: number }> {
  const sql = plainSql(db);
  const facts = new Map<string, RiskFacts>();
  const factsOf = (id: string) => {
    let f = facts.get(id);
    if (!f) facts.set(id, (f = emptyRiskFacts()));
    return f;
  };

  // Privileges: the organization's enabled high/critical policies aimed at privilege escalation (privileged,
  // host namespaces, host paths…), against each workload. Lower-severity hardening checks (dropping
  // capabilities, token automount) fail on most workloads and would make every score look alike.
  const [policySet, settings, exceptions] = await Promise.all([loadPolicySet(db, orgId), readBundleSettings(db, orgId), readPolicyExceptions(db, orgId, now)]);
  const privilegePolicies = policySet.compiled.filter((p) => p.threats?.includes("privilege-escalation") && (p.severity === "CRITICAL" || p.severity === "HIGH"));
  const workloads = new Map<string, { exposedBy: unknown; podSpec: unknown; old: number; oldFactors: unknown }>();
  await forEachWorkloadInput(db, orgId, { ...settings, now: now.toISOString() }, (w, input) => {
    const f = factsOf(w.id);
    if (privilegePolicies.length === 0) return;
    const results = waive(evaluate(privilegePolicies, input), exceptions, input);
    f.privilegePolicies = results.filter((r) => r.status === "fail").map((r) => r.policyId);
  });

  const rows = await sql.$queryRaw<Array<{ id: string; exposedBy: unknown; podSpec: unknown; riskScore: number; riskFactors: unknown }>>`
    SELECT id, "exposedBy", "podSpec", "riskScore", "riskFactors" FROM "Workload" WHERE "orgId" = ${orgId} AND NOT deleted`;
  for (const r of rows) workloads.set(r.id, { exposedBy: r.exposedBy, podSpec: r.podSpec, old: r.riskScore, oldFactors: r.riskFactors });

  const containers = await sql.$queryRaw<Array<{ workloadId: string; imageId: string }>>`
    SELECT DISTINCT "workloadId", "imageId" FROM "Container" WHERE "orgId" = ${orgId} AND "imageId" IS NOT NULL`;
  const vulns = await sql.$queryRaw<VulnRow[]>`
    SELECT "imageId",
      count(*) FILTER (WHERE severity = 'CRITICAL') AS crit,
      count(*) FILTER (WHERE severity = 'HIGH') AS high
    FROM "Finding" WHERE "orgId" = ${orgId} AND type = 'VULNERABILITY' AND status = 'OPEN' AND fixable AND "imageId" IS NOT NULL
      AND severity IN ('CRITICAL', 'HIGH')
    GROUP BY "imageId"`;
  // Exploitation evidence lives on advisories; findings name them by id or by an alias (a scanner's CVE).
  const exploited = await sql.$queryRaw<Array<{ imageId: string; kev: bigint; poc: bigint }>>`
    WITH flagged AS (
      SELECT unnest(array_append(aliases, "externalId")) AS rule, bool_or("knownExploited") AS kev, bool_or("publicExploit") AS poc
      FROM "Advisory" WHERE ("knownExploited" OR "publicExploit") AND "withdrawnAt" IS NULL GROUP BY 1
    )
    SELECT f."imageId", count(*) FILTER (WHERE x.kev) AS kev, count(*) FILTER (WHERE x.poc AND NOT x.kev) AS poc
    FROM "Finding" f JOIN flagged x ON x.rule = f."ruleId"
    WHERE f."orgId" = ${orgId} AND f.type = 'VULNERABILITY' AND f.status = 'OPEN' AND f."imageId" IS NOT NULL
    GROUP BY f."imageId"`;
  const runtime = await sql.$queryRaw<Array<{ workloadId: string; severe: bigint; other: bigint }>>`
    SELECT "workloadId", count(*) FILTER (WHERE severity IN ('CRITICAL', 'HIGH')) AS severe, count(*) FILTER (WHERE severity NOT IN ('CRITICAL', 'HIGH')) AS other
    FROM "Finding" WHERE "orgId" = ${orgId} AND type = 'RUNTIME' AND status = 'OPEN' AND "workloadId" IS NOT NULL
    GROUP BY "workloadId"`;

  const vulnByImage = new Map(vulns.map((v) => [v.imageId, v]));
  const exploitByImage = new Map(exploited.map((e) => [e.imageId, e]));
  for (const c of containers) {
    if (!workloads.has(c.workloadId)) continue;
    const f = factsOf(c.workloadId);
    const v = vulnByImage.get(c.imageId);
    if (v) {
      f.fixableCritical += Number(v.crit);
      f.fixableHigh += Number(v.high);
    }
    const e = exploitByImage.get(c.imageId);
    if (e) {
      f.knownExploited += Number(e.kev);
      f.publicExploit += Number(e.poc);
    }
  }
  for (const r of runtime) {
    if (!workloads.has(r.workloadId)) continue;
    const f = factsOf(r.workloadId);
    f.runtimeCriticalHigh += Number(r.severe);
    f.runtimeOther += Number(r.other);
  }

  const changedIds: string[] = [];
  const scores: number[] = [];
  const factorJson: string[] = [];
  for (const [id, w] of workloads) {
    const f = factsOf(id);
    const services = Array.isArray(w.exposedBy) ? (w.exposedBy as Array<{ service?: string; type?: string; ports?: number[] }>) : [];
    f.exposure = [...services.map((s) => `${s.type ?? "Service"} ${s.service ?? "?"}${s.ports?.length ? ` (${s.ports.join(", ")})` : ""}`), ...podSpecExposure(w.podSpec)];
    const risk = assessRisk(f);
    const json = JSON.stringify(risk.factors);
    if (risk.score === w.old && json === JSON.stringify(w.oldFactors)) continue;
    changedIds.push(id);
    scores.push(risk.score);
    factorJson.push(json);
  }
  for (let i = 0; i < changedIds.length; i += 5_000) {
    await sql.$executeRaw`
      UPDATE "Workload" w SET "riskScore" = t.score, "riskFactors" = t.factors::jsonb
      FROM unnest(${changedIds.slice(i, i + 5_000)}::text[], ${scores.slice(i, i + 5_000)}::int[], ${factorJson.slice(i, i + 5_000)}::text[]) AS t(id, score, factors)
      WHERE w.id = t.id AND w."orgId" = ${orgId}`;
  }
  return { workloads: workloads.size, changed: changedIds.length };
}
