import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { evaluateWorkloads } from "../src/posture/evaluate-workloads.ts";
import { POLICY_FINDING_SOURCE } from "../src/posture/policy-findings.ts";
import { type WorkloadPolicyResult } from "../src/posture/results.ts";
import { approveException } from "../src/use-cases/approve-exception.ts";
import { requestException } from "../src/use-cases/request-exception.ts";
import { setPolicyEnabled } from "../src/use-cases/set-policy-enabled.ts";
import { makeMember, testDb, userCtx } from "./helpers.ts";
import { ingestOrg, post } from "./ingest-helpers.ts";
import { BASELINE_POD, inventory, PRIVILEGED_POD, RESTRICTED_POD } from "./posture-helpers.ts";

// The central policy set against the stored inventory, on the real database: per-workload results, PSS
// levels and practice flags, failing policies as bulwark-policy findings that resolve when fixed, are
// suppressed by approved exceptions and resolve when their policy is disabled; only changes are written.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const THREE = { "privileged-app": PRIVILEGED_POD, "restricted-app": RESTRICTED_POD, "baseline-app": BASELINE_POD };

async function estate() {
  const { org, ctx: ingest } = await ingestOrg(db);
  await db.registry.create({ data: { orgId: org.id, name: "ghcr-acme", host: "ghcr.io/acme", trusted: true } });
  await post(db, ingest, "INVENTORY", inventory(THREE), "prod");
  const { user } = await makeMember(db, org.id, "OWNER");
  return { org, ingest, admin: userCtx(org.id, user, "OWNER") };
}

const workload = (orgId: string, name: string) =>
  db.workload.findFirstOrThrow({
    where: { orgId, name },
    select: { id: true, clusterId: true, namespaceId: true, pssLevel: true, nonRoot: true, readOnlyRootFs: true, trustedImages: true, policyResults: true, evaluatedAt: true },
  });
const failing = (results: unknown) =>
  (results as WorkloadPolicyResult[])
    .filter((r) => r.result === "fail" || r.result === "warn")
    .map((r) => r.policy)
    .sort();
const findings = (orgId: string, workloadId: string) =>
  db.finding.findMany({ where: { orgId, workloadId, source: POLICY_FINDING_SOURCE }, orderBy: { ruleId: "asc" } });

describe("evaluateWorkloads", () => {
  it("stores results, PSS levels, practice flags and findings, and writes nothing when nothing changed", async () => {
    const { org } = await estate();
    const now = new Date();
    const first = await evaluateWorkloads(db, org.id, { now });
    expect(first).toMatchObject({ workloads: 3, changed: 3, policies: 20 });

    const priv = await workload(org.id, "privileged-app");
    expect(priv).toMatchObject({ pssLevel: "privileged", nonRoot: false, readOnlyRootFs: false, trustedImages: true, evaluatedAt: now });
    expect(failing(priv.policyResults)).toEqual([
      "automount-service-account-token",
      "drop-all-capabilities",
      "image-digest-pinned",
      "no-privilege-escalation",
      "no-privileged",
      "read-only-root-fs",
      "resource-limits",
      "run-as-non-root",
    ]);
    expect((priv.policyResults as unknown as WorkloadPolicyResult[]).find((r) => r.policy === "no-privileged")).toEqual({
      policy: "no-privileged",
      title: "No privileged containers",
      severity: "CRITICAL",
      category: "Privileges",
      result: "fail",
      message: 'Container "agent" runs privileged',
      containers: ["agent"],
    });
    expect((priv.policyResults as unknown as WorkloadPolicyResult[]).find((r) => r.policy === "trusted-registries")?.result).toBe("pass");
    // unauthorized-deployer judges admission requests only (stage DEPLOY): no inventory result.
    expect((priv.policyResults as unknown as WorkloadPolicyResult[]).map((r) => r.policy)).not.toContain("unauthorized-deployer");

    const restricted = await workload(org.id, "restricted-app");
    expect(restricted).toMatchObject({ pssLevel: "restricted", nonRoot: true, readOnlyRootFs: true, trustedImages: true });
    expect(failing(restricted.policyResults)).toEqual([]);

    const baseline = await workload(org.id, "baseline-app");
    expect(baseline).toMatchObject({ pssLevel: "baseline", nonRoot: false, readOnlyRootFs: false, trustedImages: false });
    expect(failing(baseline.policyResults)).toContain("trusted-registries");

    // One open MISCONFIGURATION finding per failing policy and workload.
    const privFindings = await findings(org.id, priv.id);
    expect(privFindings.map((f) => f.ruleId)).toEqual(failing(priv.policyResults));
    const critical = privFindings.find((f) => f.ruleId === "no-privileged")!;
    expect(critical).toMatchObject({
      type: "MISCONFIGURATION",
      status: "OPEN",
      severity: "CRITICAL",
      title: "No privileged containers: Deployment shop/privileged-app",
      mitreTechniques: ["T1611"],
      clusterId: priv.clusterId,
      namespaceId: priv.namespaceId,
      imageId: null,
    });
    expect(critical.remediation).toMatch(/privileged: true/);
    expect(critical.evidence).toMatchObject({
      cluster: "prod",
      namespace: "shop",
      kind: "Deployment",
      name: "privileged-app",
      result: "fail",
      violations: [{ message: 'Container "agent" runs privileged', container: "agent", path: "spec.template.spec.containers[0].securityContext.privileged", evidence: "privileged: true" }],
    });
    expect(await findings(org.id, restricted.id)).toEqual([]);
    expect((await findings(org.id, baseline.id)).map((f) => f.ruleId)).toEqual(failing(baseline.policyResults));

    const before = await db.finding.findMany({ where: { orgId: org.id }, select: { id: true, updatedAt: true } });
    const again = await evaluateWorkloads(db, org.id, { now: new Date(now.getTime() + 60_000) });
    expect(again).toMatchObject({ workloads: 3, changed: 0, findings: { created: 0, reopened: 0, updated: 0, resolved: 0 } });
    expect(await db.finding.findMany({ where: { orgId: org.id }, select: { id: true, updatedAt: true } })).toEqual(before);
    // Unchanged rows keep their evaluation time (refreshed at most hourly).
    expect((await workload(org.id, "privileged-app")).evaluatedAt).toEqual(now);
  });

  it("a fixed workload in a later inventory resolves its findings when re-evaluated", async () => {
    const { org, ingest } = await estate();
    await evaluateWorkloads(db, org.id);
    const priv = await workload(org.id, "privileged-app");
    expect((await findings(org.id, priv.id)).every((f) => f.status === "OPEN")).toBe(true);

    await post(db, ingest, "INVENTORY", inventory({ ...THREE, "privileged-app": RESTRICTED_POD }), "prod");
    const result = await evaluateWorkloads(db, org.id, { clusterId: priv.clusterId });
    expect(result).toMatchObject({ workloads: 3, changed: 1, findings: { created: 0, resolved: 8 } });
    const fixed = await workload(org.id, "privileged-app");
    expect(fixed).toMatchObject({ pssLevel: "restricted", nonRoot: true, readOnlyRootFs: true, trustedImages: true });
    expect(failing(fixed.policyResults)).toEqual([]);
    const after = await findings(org.id, priv.id);
    expect(after).toHaveLength(8);
    expect(after.every((f) => f.status === "RESOLVED" && f.resolvedAt !== null)).toBe(true);

    // Broken again: the same findings reopen (same fingerprints), none is duplicated.
    await post(db, ingest, "INVENTORY", inventory(THREE), "prod");
    const broken = await evaluateWorkloads(db, org.id);
    expect(broken.findings).toMatchObject({ created: 0, reopened: 8 });
    expect((await findings(org.id, priv.id)).map((f) => f.status)).toEqual(Array(8).fill("OPEN"));
  });

  it("an approved exception suppresses the finding and the policy result becomes skip", async () => {
    const { org, admin } = await estate();
    await evaluateWorkloads(db, org.id);
    const priv = await workload(org.id, "privileged-app");
    const requested = await requestException(db, admin, {
      kind: "RISK_ACCEPTED",
      scope: { policyId: "no-privileged", cluster: "prod", namespace: "shop", workload: "privileged-app" },
      reason: "node agent needs it",
    });
    await approveException(db, admin, requested.exception.id);
    const suppressed = (await findings(org.id, priv.id)).find((f) => f.ruleId === "no-privileged")!;
    expect(suppressed).toMatchObject({ status: "SUPPRESSED", exceptionId: requested.exception.id });

    await evaluateWorkloads(db, org.id);
    const results = (await workload(org.id, "privileged-app")).policyResults as unknown as WorkloadPolicyResult[];
    expect(results.find((r) => r.policy === "no-privileged")).toMatchObject({ result: "skip", message: `Waived by exception ${requested.exception.id}` });
    expect((await findings(org.id, priv.id)).find((f) => f.ruleId === "no-privileged")).toMatchObject({ status: "SUPPRESSED" });
    // The exception names one workload: the practice flag still says what runs.
    expect((await workload(org.id, "privileged-app")).nonRoot).toBe(false);
  });

  it("disabling a policy resolves its findings and drops its results; the practice flags stay", async () => {
    const { org, admin } = await estate();
    await evaluateWorkloads(db, org.id);
    const open = () => db.finding.count({ where: { orgId: org.id, source: POLICY_FINDING_SOURCE, ruleId: "read-only-root-fs", status: "OPEN" } });
    expect(await open()).toBe(2);
    await setPolicyEnabled(db, admin, "read-only-root-fs", false);
    const result = await evaluateWorkloads(db, org.id);
    expect(result).toMatchObject({ policies: 19, changed: 3, findings: { resolved: 2 } });
    expect(await open()).toBe(0);
    const baseline = await workload(org.id, "baseline-app");
    expect((baseline.policyResults as unknown as WorkloadPolicyResult[]).map((r) => r.policy)).not.toContain("read-only-root-fs");
    expect(baseline.readOnlyRootFs).toBe(false);
  });

  it("a cluster-scoped evaluation touches that cluster only; trusted images is null without trusted registries", async () => {
    const { org, ctx: ingest } = await ingestOrg(db);
    await post(db, ingest, "INVENTORY", inventory(THREE), "prod");
    await post(db, ingest, "INVENTORY", inventory({ other: BASELINE_POD }, "tools"), "dev");
    const dev = await db.cluster.findFirstOrThrow({ where: { orgId: org.id, name: "dev" } });
    expect(await evaluateWorkloads(db, org.id, { clusterId: dev.id })).toMatchObject({ workloads: 1, changed: 1 });
    expect(await workload(org.id, "other")).toMatchObject({ pssLevel: "baseline", trustedImages: null });
    expect((await workload(org.id, "baseline-app")).evaluatedAt).toBeNull();
    expect(await db.finding.count({ where: { orgId: org.id, source: POLICY_FINDING_SOURCE, clusterId: { not: dev.id } } })).toBe(0);
  });
});
