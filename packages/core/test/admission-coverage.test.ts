import { randomUUID } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COVERAGE_RULE } from "../src/admission/coverage.ts";
import { type OrgContext } from "../src/context.ts";
import { ensureBuiltinPolicies } from "../src/use-cases/ensure-builtin-policies.ts";
import { recordAdmissionDecisions } from "../src/use-cases/record-admission-decisions.ts";
import { recordEnforcementHeartbeat } from "../src/use-cases/record-enforcement-heartbeat.ts";
import { testDb } from "./helpers.ts";
import { ingestOrg, post } from "./ingest-helpers.ts";

// T1610 around admission: once a cluster has an enforcement point, a workload created there later
// with no admission decision becomes a finding; one decided on, one in a namespace the webhook leaves
// out, one too young for the decision batch to have arrived, or one older than enforcement does not.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function deployment(namespace: string, name: string, createdAt: string) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, uid: randomUUID(), creationTimestamp: createdAt },
    spec: { replicas: 1, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } },
  };
}
const list = (...items: unknown[]) => ({ apiVersion: "v1", kind: "List", items });

async function setup() {
  const { org, ctx: ingest } = await ingestOrg(db);
  await ensureBuiltinPolicies(db, org.id);
  // The cluster exists from a first inventory; then its enforcement point registers (an hour ago).
  await post(db, ingest, "INVENTORY", list(deployment("payments", "legacy", minutesAgo(600))), "prod");
  const cluster = await db.cluster.findUniqueOrThrow({ where: { orgId_name: { orgId: org.id, name: "prod" } } });
  const enforcer: OrgContext = { orgId: org.id, actor: { type: "token", tokenId: `t-${randomUUID()}`, name: "enforcer", scopes: ["enforcement"], clusterId: cluster.id, registryId: null } };
  await recordEnforcementHeartbeat(db, enforcer, { name: "prod-enforcer", agentVersion: "0.1.0", bundleVersion: 1, excludedNamespaces: ["kube-system"] });
  await db.enforcementPoint.updateMany({ where: { orgId: org.id }, data: { createdAt: new Date(Date.now() - 60 * 60_000) } });
  return { org, ingest, cluster, enforcer };
}

const decisionFor = (namespace: string, name: string) => ({
  uid: randomUUID(),
  namespace,
  kind: "Deployment",
  name,
  operation: "CREATE",
  allowed: true,
  userInfo: { username: "system:serviceaccount:ci:deployer", groups: [] },
  decidedAt: minutesAgo(30),
});

describe("deployed without admission (T1610)", () => {
  it("flags only workloads created since enforcement without a decision, and resolves them once decided", async () => {
    const { org, ingest, cluster, enforcer } = await setup();
    await recordAdmissionDecisions(db, enforcer, { enforcementPoint: "prod-enforcer", decisions: [decisionFor("payments", "checkout")] });
    const snapshot = list(
      deployment("payments", "legacy", minutesAgo(600)), // before enforcement started
      deployment("payments", "checkout", minutesAgo(30)), // admitted
      deployment("payments", "cryptominer", minutesAgo(30)), // around admission
      deployment("kube-system", "static-thing", minutesAgo(30)), // namespace the webhook leaves out
      deployment("payments", "just-now", minutesAgo(1)), // its decision may still be in flight
    );
    const first = await post(db, ingest, "INVENTORY", snapshot, "prod");
    expect(first.counts).toMatchObject({ unadmitted: 1, admissionResolved: 0 });
    const open = await db.finding.findMany({ where: { orgId: org.id, ruleId: COVERAGE_RULE, status: "OPEN" }, include: { workload: true } });
    expect(open.map((f) => f.workload?.name)).toEqual(["cryptominer"]);
    expect(open[0]).toMatchObject({ type: "POLICY_VIOLATION", severity: "HIGH", clusterId: cluster.id, mitreTechniques: ["T1610"], source: "admission-coverage" });

    // The same snapshot again changes nothing; a decision arriving late resolves it at the next inventory.
    expect((await post(db, ingest, "INVENTORY", snapshot, "prod")).counts).toMatchObject({ unadmitted: 1, admissionResolved: 0 });
    expect(await db.finding.count({ where: { orgId: org.id, ruleId: COVERAGE_RULE } })).toBe(1);
    await recordAdmissionDecisions(db, enforcer, { enforcementPoint: "prod-enforcer", decisions: [decisionFor("payments", "cryptominer")] });
    expect((await post(db, ingest, "INVENTORY", snapshot, "prod")).counts).toMatchObject({ unadmitted: 0, admissionResolved: 1 });
    expect(await db.finding.count({ where: { orgId: org.id, ruleId: COVERAGE_RULE, status: "OPEN" } })).toBe(0);
  });

  it("a cluster without an enforcement point is not judged", async () => {
    const { org, ctx: ingest } = await ingestOrg(db);
    const r = await post(db, ingest, "INVENTORY", list(deployment("payments", "anything", minutesAgo(30))), "dev");
    expect(r.counts).toMatchObject({ unadmitted: 0 });
    expect(await db.finding.count({ where: { orgId: org.id, ruleId: COVERAGE_RULE } })).toBe(0);
  });
});
