import { type Db } from "@bulwark/db";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { evaluateWorkloads } from "../src/posture/evaluate-workloads.ts";
import { POLICY_FINDING_SOURCE } from "../src/posture/policy-findings.ts";
import { RESPONSE_COOLDOWN_MS } from "../src/response/create-actions.ts";
import { runtimeResponseJob } from "../src/response/queue-responses.ts";
import { requestRuntimeResponses } from "../src/response/runtime.ts";
import { approveException } from "../src/use-cases/approve-exception.ts";
import { authenticateToken } from "../src/use-cases/authenticate-token.ts";
import { createApiTokenForOrg } from "../src/use-cases/create-api-token.ts";
import { ensureBuiltinPolicies } from "../src/use-cases/ensure-builtin-policies.ts";
import { requestException } from "../src/use-cases/request-exception.ts";
import { updatePolicy } from "../src/use-cases/update-policy.ts";
import { makeMember, testDb, uid, userCtx } from "./helpers.ts";
import { ingestOrg, post } from "./ingest-helpers.ts";
import { BASELINE_POD, deployment, PRIVILEGED_POD } from "./posture-helpers.ts";

// Which response actions policies request, on the real database: a failing workload in posture
// evaluation and a Falco finding whose rule a policy lists, each once per target (no second action while
// one is pending, an hour's rest after one ended), only where the policy is ENFORCE for the cluster, never
// under an approved exception, and never for a target the action cannot apply to.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const SHELL = "Terminal shell in container";

/** An inventory of cluster "prod", namespace "shop": a privileged Deployment, a plain one scaled to 0, a privileged bare Pod. */
function estateInventory() {
  const scaledDown = deployment("idle-app", PRIVILEGED_POD);
  (scaledDown.spec as { replicas: number }).replicas = 0;
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", uid: "ns-shop" } },
      deployment("privileged-app", PRIVILEGED_POD),
      deployment("plain-app", BASELINE_POD),
      scaledDown,
      { apiVersion: "v1", kind: "Pod", metadata: { name: "debug-pod", namespace: "shop", uid: "uid-debug-pod" }, spec: PRIVILEGED_POD },
    ],
  };
}

/** An ingest token's context for an existing organization (Falco reports land in its clusters). */
async function ingestOrgToken(orgId: string) {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId } });
  const token = await createApiTokenForOrg(db, org.slug, { name: `falco-${uid()}`, scopes: ["ingest"] }, "test");
  return { ctx: await authenticateToken(db, token.token, "ingest") };
}

async function estate() {
  const { org, ctx: ingest } = await ingestOrg(db);
  await post(db, ingest, "INVENTORY", estateInventory(), "prod");
  await ensureBuiltinPolicies(db, org.id);
  const { user } = await makeMember(db, org.id, "OWNER");
  return { org, admin: userCtx(org.id, user, "OWNER") };
}

async function tune(admin: OrgContext, definition: Record<string, unknown>) {
  await updatePolicy(db, admin, "no-privileged", { definition: { id: "no-privileged", ...definition } });
}

const actions = (orgId: string) => db.enforcementAction.findMany({ where: { orgId }, orderBy: [{ kind: "asc" }, { name: "asc" }, { pod: "asc" }] });

describe("posture responses", () => {
  it("requests one SCALE_TO_ZERO per failing scalable workload, linked and audited, and not again on re-evaluation", async () => {
    const { org, admin } = await estate();
    await tune(admin, { enforcement: "ENFORCE", response: { action: "SCALE_TO_ZERO" } });
    await evaluateWorkloads(db, org.id);

    const rows = await actions(org.id);
    // idle-app already runs no replicas, plain-app passes, a bare Pod cannot be scaled.
    expect(rows.map((a) => [a.action, a.status, a.namespace, a.kind, a.name, a.pod, a.policyKey])).toEqual([["SCALE_TO_ZERO", "PENDING", "shop", "Deployment", "privileged-app", null, "no-privileged"]]);
    const [action] = rows;
    const workload = await db.workload.findFirstOrThrow({ where: { orgId: org.id, name: "privileged-app" } });
    const finding = await db.finding.findFirstOrThrow({ where: { orgId: org.id, workloadId: workload.id, source: POLICY_FINDING_SOURCE, ruleId: "no-privileged" } });
    expect(action).toMatchObject({ workloadId: workload.id, findingId: finding.id, clusterId: workload.clusterId, enforcementPointId: null, claimedAt: null });
    expect(action!.reason).toBe('Deployment shop/privileged-app fails policy no-privileged: Container "agent" runs privileged');
    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "response.request" } });
    expect(audit).toEqual([expect.objectContaining({ actorType: "SYSTEM", targetType: "enforcement-action", targetId: action!.id })]);
    expect(audit[0]!.metadata).toMatchObject({ policy: "no-privileged", action: "SCALE_TO_ZERO", kind: "Deployment", name: "privileged-app", findingId: finding.id });

    await evaluateWorkloads(db, org.id);
    await evaluateWorkloads(db, org.id);
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("rests a target for an hour after its action ended, then asks again", async () => {
    const { org, admin } = await estate();
    await tune(admin, { enforcement: "ENFORCE", response: { action: "SCALE_TO_ZERO" } });
    await evaluateWorkloads(db, org.id);
    const [first] = await actions(org.id);
    await db.enforcementAction.update({ where: { id: first!.id }, data: { status: "SUCCEEDED", completedAt: new Date() } });
    await evaluateWorkloads(db, org.id);
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(1);

    await db.enforcementAction.update({ where: { id: first!.id }, data: { completedAt: new Date(Date.now() - RESPONSE_COOLDOWN_MS - 60_000) } });
    await evaluateWorkloads(db, org.id);
    const rows = await actions(org.id);
    expect(rows.map((a) => a.status).sort()).toEqual(["PENDING", "SUCCEEDED"]);
  });

  it("deletes a failing bare Pod with DELETE_POD, and requests nothing for controllers", async () => {
    const { org, admin } = await estate();
    await tune(admin, { enforcement: "ENFORCE", response: { action: "DELETE_POD" } });
    await evaluateWorkloads(db, org.id);
    expect((await actions(org.id)).map((a) => [a.action, a.kind, a.name, a.pod])).toEqual([["DELETE_POD", "Pod", "debug-pod", "debug-pod"]]);
  });

  it("requests nothing under AUDIT or WARN, and follows per-cluster enforcement both ways", async () => {
    const { org, admin } = await estate();
    for (const enforcement of ["AUDIT", "WARN"]) {
      await tune(admin, { enforcement, response: { action: "SCALE_TO_ZERO" } });
      await evaluateWorkloads(db, org.id);
    }
    await tune(admin, { enforcement: "ENFORCE", clusterEnforcement: { prod: "WARN" }, response: { action: "SCALE_TO_ZERO" } });
    await evaluateWorkloads(db, org.id);
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(0);

    await tune(admin, { enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE" }, response: { action: "SCALE_TO_ZERO" } });
    await evaluateWorkloads(db, org.id);
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("requests nothing for a workload an approved exception covers, or outside the policy's scope", async () => {
    const { org, admin } = await estate();
    const ex = await requestException(db, admin, { kind: "RISK_ACCEPTED", scope: { policyId: "no-privileged", cluster: "prod", namespace: "shop", workload: "privileged-app" }, reason: "Node agent, reviewed" });
    await approveException(db, admin, ex.exception.id, {});
    await tune(admin, { enforcement: "ENFORCE", response: { action: "SCALE_TO_ZERO" } });
    await evaluateWorkloads(db, org.id);
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(0);

    const { org: other, admin: otherAdmin } = await estate();
    await tune(otherAdmin, { enforcement: "ENFORCE", exclusions: [{ names: ["privileged-app"] }], response: { action: "SCALE_TO_ZERO" } });
    await evaluateWorkloads(db, other.id);
    expect(await db.enforcementAction.count({ where: { orgId: other.id } })).toBe(0);
  });
});

/** A RUNTIME finding as Falco ingestion stores it, with its raw events (newest last). */
async function runtimeFinding(orgId: string, workloadName: string, pods: string[], over: { ruleId?: string; status?: "OPEN" | "SUPPRESSED" } = {}) {
  const w = await db.workload.findFirstOrThrow({ where: { orgId, name: workloadName }, include: { namespace: true } });
  const rule = over.ruleId ?? SHELL;
  const finding = await db.finding.create({
    data: {
      orgId,
      fingerprint: `falco-${uid()}`,
      type: "RUNTIME",
      severity: "MEDIUM",
      status: over.status ?? "OPEN",
      title: `${rule} (shop/${workloadName})`,
      ruleId: rule,
      source: "falco",
      workloadId: w.id,
      clusterId: w.clusterId,
      namespaceId: w.namespaceId,
      evidence: { cluster: "prod", namespace: "shop", workload: workloadName, pod: pods[0] ?? null, container: "agent" },
    },
  });
  let t = Date.now() - 60_000;
  for (const pod of pods) {
    await db.runtimeEvent.create({
      data: { orgId, clusterId: w.clusterId, namespace: "shop", pod, workloadId: w.id, findingId: finding.id, rule, priority: "Notice", source: "syscall", output: `shell in ${pod}`, time: new Date((t += 1000)) },
    });
  }
  return finding;
}

describe("runtime responses", () => {
  it("deletes the pods behind a finding whose rule the policy lists, once per pod", async () => {
    const { org, admin } = await estate();
    await tune(admin, { enforcement: "ENFORCE", response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    const f = await runtimeFinding(org.id, "plain-app", ["plain-app-7d9c6b5f8-aaaaa", "plain-app-7d9c6b5f8-bbbbb", "plain-app-7d9c6b5f8-aaaaa"]);
    const result = await requestRuntimeResponses(db, org.id, [f.id]);
    expect(result.created).toHaveLength(2);
    const rows = await actions(org.id);
    expect(rows.map((a) => [a.action, a.status, a.namespace, a.kind, a.name, a.pod, a.findingId])).toEqual([
      ["DELETE_POD", "PENDING", "shop", "Deployment", "plain-app", "plain-app-7d9c6b5f8-aaaaa", f.id],
      ["DELETE_POD", "PENDING", "shop", "Deployment", "plain-app", "plain-app-7d9c6b5f8-bbbbb", f.id],
    ]);
    expect(rows[0]!.reason).toBe(`Falco rule "${SHELL}" fired in pod shop/plain-app-7d9c6b5f8-aaaaa (policy no-privileged)`);
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "response.request" } })).toBe(2);

    // The job the worker runs (after a Falco report) is the same check, and idempotent.
    const handled = await runtimeResponseJob.handle({ orgId: org.id, findingIds: [f.id] }, { db, logger: pino({ level: "silent" }) } as never, {} as never);
    expect(handled).toMatchObject({ created: 0, duplicates: 2 });
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(2);
  });

  it("after a Falco report, acts on every finding its events went to, also one that was already open", async () => {
    const { org, admin } = await estate();
    const ingest = (await ingestOrgToken(org.id)).ctx;
    await tune(admin, { enforcement: "ENFORCE", response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    const event = (pod: string) => ({
      output: `A shell was spawned in a container with an attached terminal (k8s.pod=${pod})`,
      priority: "Notice",
      rule: SHELL,
      time: new Date().toISOString(),
      output_fields: { "container.id": "5892b41bcf46", "k8s.cluster.name": "prod", "k8s.ns.name": "shop", "k8s.pod.name": pod, "proc.name": "sh", "proc.cmdline": "sh", "user.name": "root" },
    });
    const job = (findingIds: string[], reportId: string) => runtimeResponseJob.handle({ orgId: org.id, findingIds, reportId }, { db, logger: pino({ level: "silent" }) } as never, {} as never);

    const first = await post(db, ingest, "FALCO", [event("plain-app-7d9c6b5f8-q8w2z")]);
    await job((first.result.alerts ?? []).map((a) => a.findingId), first.id);
    // The same aggregate again, from the pod the controller started instead: no alert, still a response.
    const second = await post(db, ingest, "FALCO", [event("plain-app-7d9c6b5f8-x7k4p")]);
    expect(second.result.alerts ?? []).toEqual([]);
    await job([], second.id);
    const rows = await actions(org.id);
    expect(rows.map((a) => [a.action, a.kind, a.name, a.pod])).toEqual([
      ["DELETE_POD", "Deployment", "plain-app", "plain-app-7d9c6b5f8-q8w2z"],
      ["DELETE_POD", "Deployment", "plain-app", "plain-app-7d9c6b5f8-x7k4p"],
    ]);
    expect(new Set(rows.map((a) => a.findingId)).size).toBe(1);
  });

  it("scales the finding's workload with SCALE_TO_ZERO", async () => {
    const { org, admin } = await estate();
    await tune(admin, { enforcement: "ENFORCE", response: { action: "SCALE_TO_ZERO", runtimeRules: ["Write below etc", SHELL] } });
    const f = await runtimeFinding(org.id, "plain-app", ["plain-app-7d9c6b5f8-aaaaa"]);
    await requestRuntimeResponses(db, org.id, [f.id]);
    expect((await actions(org.id)).map((a) => [a.action, a.kind, a.name, a.pod])).toEqual([["SCALE_TO_ZERO", "Deployment", "plain-app", null]]);
  });

  it("requests nothing for an unlisted rule, a suppressed finding, AUDIT, an excluded namespace or a policy exception", async () => {
    const { org, admin } = await estate();
    await tune(admin, { enforcement: "ENFORCE", response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    const other = await runtimeFinding(org.id, "plain-app", ["plain-app-1"], { ruleId: "Write below etc" });
    const suppressed = await runtimeFinding(org.id, "plain-app", ["plain-app-2"], { status: "SUPPRESSED" });
    await requestRuntimeResponses(db, org.id, [other.id, suppressed.id]);

    const f = await runtimeFinding(org.id, "plain-app", ["plain-app-3"]);
    await tune(admin, { enforcement: "AUDIT", response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    await requestRuntimeResponses(db, org.id, [f.id]);
    await tune(admin, { enforcement: "ENFORCE", exclusions: [{ namespaces: ["shop"] }], response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    await requestRuntimeResponses(db, org.id, [f.id]);
    await tune(admin, { enforcement: "ENFORCE", response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    const ex = await requestException(db, admin, { kind: "RISK_ACCEPTED", scope: { policyId: "no-privileged", workload: "plain-app" }, reason: "Debug shells are expected here" });
    await approveException(db, admin, ex.exception.id, {});
    // The exception names the policy, not the Falco rule: the finding stays open, only the response is waived.
    expect((await db.finding.findUniqueOrThrow({ where: { id: f.id } })).status).toBe("OPEN");
    await requestRuntimeResponses(db, org.id, [f.id]);
    expect(await db.enforcementAction.count({ where: { orgId: org.id } })).toBe(0);

    // Another organization's finding id is not looked at.
    const { org: theirs, admin: theirAdmin } = await estate();
    await tune(theirAdmin, { enforcement: "ENFORCE", response: { action: "DELETE_POD", runtimeRules: [SHELL] } });
    const mine = await runtimeFinding(org.id, "plain-app", ["plain-app-4"]);
    await requestRuntimeResponses(db, theirs.id, [mine.id]);
    expect(await db.enforcementAction.count({ where: { orgId: { in: [org.id, theirs.id] } } })).toBe(0);
  });
});
