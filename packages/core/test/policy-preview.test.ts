import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { type OrgContext } from "../src/context.ts";
import { previewPolicyImpact } from "../src/use-cases/preview-policy-impact.ts";
import { caught, makeMember, testDb } from "./helpers.ts";
import { fixture, ingestOrg, post } from "./ingest-helpers.ts";

// Impact preview on the real database: a draft evaluated against the stored inventory of the caller's
// organization only, per cluster with each cluster's enforcement, exceptions applied, drafts with
// errors refused with exact paths, and only administrators may run it.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function orgWithInventory() {
  const { org, ctx: ingest } = await ingestOrg(db);
  await post(db, ingest, "INVENTORY", fixture("kubernetes/eks-payments.json"), "prod");
  await post(db, ingest, "INVENTORY", fixture("kubernetes/kind-dev.json"), "dev");
  const { user } = await makeMember(db, org.id, "ADMIN");
  const ctx: OrgContext = { orgId: org.id, actor: { type: "user", userId: user.id, email: user.email, role: "ADMIN" } };
  return { org, ctx };
}

describe("previewPolicyImpact", () => {
  it("lists the workloads a draft fails per cluster, with each cluster's enforcement", async () => {
    const { org, ctx } = await orgWithInventory();
    // Another organization's identical inventory must not count.
    await orgWithInventory();
    const live = await db.workload.count({ where: { orgId: org.id, deleted: false } });

    const impact = await previewPolicyImpact(db, ctx, { definition: { id: "no-privileged", enforcement: "WARN", clusterEnforcement: { prod: "ENFORCE" } } });
    expect(impact.policyId).toBe("no-privileged");
    expect(impact.evaluated).toBe(live);
    const prod = impact.clusters.find((c) => c.cluster === "prod")!;
    expect(prod).toMatchObject({ enforcement: "ENFORCE", failing: 2, truncated: false });
    // Init containers count: aws-node's CNI init container runs privileged.
    const rows = prod.workloads.map((w) => [w.namespace, w.kind, w.name, w.violations.map((v) => v.container)]);
    expect(rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
      ["kube-system", "DaemonSet", "aws-node", ["aws-vpc-cni-init"]],
      ["default", "Pod", "netshoot", ["netshoot"]],
    ]);
    expect(impact.clusters.find((c) => c.cluster === "dev")!.enforcement).toBe("WARN");
    expect(prod.evaluated + impact.clusters.find((c) => c.cluster === "dev")!.evaluated).toBe(live);
    expect(impact.failing).toBe(impact.clusters.reduce((n, c) => n + c.failing, 0));
  });

  it("a custom CEL draft and an approved exception: waived workloads are counted apart", async () => {
    const { org, ctx } = await orgWithInventory();
    const draft = { id: "no-default-namespace", name: "No default namespace", severity: "LOW", rule: { type: "cel", expression: 'resource.namespace == "default"', message: "in default" } };
    const before = await previewPolicyImpact(db, ctx, { definition: draft });
    const prod = before.clusters.find((c) => c.cluster === "prod")!;
    expect(prod.workloads.map((w) => w.name).sort()).toEqual(["legacy-worker", "netshoot", "old-frontend"]);

    await db.exception.create({ data: { orgId: org.id, kind: "RISK_ACCEPTED", status: "APPROVED", reason: "debug pod", scope: { policyId: "no-default-namespace", cluster: "prod", resourceName: "netshoot" } } });
    const after = await previewPolicyImpact(db, ctx, { definition: draft });
    const prodAfter = after.clusters.find((c) => c.cluster === "prod")!;
    expect(prodAfter.failing).toBe(prod.failing - 1);
    expect(prodAfter.waived).toBe(1);
    expect(prodAfter.workloads.map((w) => w.name)).not.toContain("netshoot");
  });

  it("refuses an invalid draft with the exact path and position, and callers below ADMIN", async () => {
    const { org, ctx } = await orgWithInventory();
    const err = await caught(previewPolicyImpact(db, ctx, { definition: { id: "bad", name: "Bad", severity: "LOW", rule: { type: "cel", expression: "resource.name ==" } } }));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.fields?.[0]?.path).toBe("definition.rule.expression");
    expect(err.fields?.[0]?.message).toMatch(/line 1, column \d+/);

    const { user } = await makeMember(db, org.id, "ANALYST");
    const analyst: OrgContext = { orgId: org.id, actor: { type: "user", userId: user.id, email: user.email, role: "ANALYST" } };
    expect((await caught(previewPolicyImpact(db, analyst, { definition: { id: "no-privileged" } }))).code).toBe("FORBIDDEN");
  });
});
