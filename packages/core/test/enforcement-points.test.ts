import { randomUUID } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { ensureBuiltinPolicies } from "../src/use-cases/ensure-builtin-policies.ts";
import { listAdmissionDecisions } from "../src/use-cases/list-admission-decisions.ts";
import { listEnforcementPoints } from "../src/use-cases/list-enforcement-points.ts";
import { recordAdmissionDecisions } from "../src/use-cases/record-admission-decisions.ts";
import { recordEnforcementHeartbeat } from "../src/use-cases/record-enforcement-heartbeat.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// What enforcement points report beyond plain decisions: the namespaces their webhook leaves out
// (heartbeats), and break-glass admissions, each stored once and written to the audit log once.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function setup() {
  const org = await makeOrg(db, "points");
  await ensureBuiltinPolicies(db, org.id);
  const { user } = await makeMember(db, org.id, "VIEWER");
  const viewer = userCtx(org.id, user, "VIEWER");
  const cluster = await db.cluster.create({ data: { orgId: org.id, name: `prod-${uid()}` } });
  const token: OrgContext = { orgId: org.id, actor: { type: "token", tokenId: `t-${uid()}`, name: "enforcer", scopes: ["enforcement"], clusterId: cluster.id, registryId: null } };
  return { org, viewer, cluster, token };
}

const decision = (over: Record<string, unknown> = {}) => ({
  uid: randomUUID(),
  namespace: "payments",
  kind: "Deployment",
  name: "hotfix",
  operation: "CREATE",
  allowed: true,
  warned: true,
  policies: ["no-privileged"],
  message: "allowed by break-glass",
  userInfo: { username: "oncall@acme.io", groups: ["sre"] },
  decidedAt: new Date().toISOString(),
  violations: [{ policy: "no-privileged", severity: "CRITICAL", message: 'Container "app" runs privileged', container: "app" }],
  ...over,
});

describe("enforcement point reports", () => {
  it("heartbeats record excluded namespaces; points are listed with cluster and drift data for members", async () => {
    const { viewer, cluster, token } = await setup();
    await recordEnforcementHeartbeat(db, token, { name: "edge-1", agentVersion: "0.1.0", bundleVersion: 3, excludedNamespaces: ["kube-system", "bulwark-system", "kube-system"] });
    const points = await listEnforcementPoints(db, viewer);
    expect(points).toEqual([
      expect.objectContaining({ name: "edge-1", cluster: { id: cluster.id, name: cluster.name }, agentVersion: "0.1.0", bundleVersion: 3, excludedNamespaces: ["bulwark-system", "kube-system"] }),
    ]);
    expect(points[0]!.lastHeartbeatAt).toBeInstanceOf(Date);
    const bad = await caught(recordEnforcementHeartbeat(db, token, { name: "edge-1", agentVersion: "0.1.0", bundleVersion: 3, excludedNamespaces: [""] }));
    expect(bad.fields?.[0]?.path).toBe("excludedNamespaces.0");
  });

  it("a break-glass admission is stored with its reason and expiry, audited once, and filterable", async () => {
    const { org, viewer, token } = await setup();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const glass = decision({ breakGlass: { reason: "INC-4711 hotfix", expiresAt, policies: ["no-privileged"] } });
    const batch = { enforcementPoint: "edge-1", decisions: [glass, decision({ uid: randomUUID(), name: "normal", warned: false, policies: [], violations: [] })] };
    expect(await recordAdmissionDecisions(db, token, batch)).toMatchObject({ stored: 2 });
    // Re-sent after a timeout: stored once, audited once.
    expect(await recordAdmissionDecisions(db, token, batch)).toMatchObject({ stored: 0, duplicates: 2 });

    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "admission.break_glass" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "SYSTEM", actorLabel: "enforcement point edge-1" });
    expect(audit[0]!.metadata).toMatchObject({ namespace: "payments", name: "hotfix", user: "oncall@acme.io", reason: "INC-4711 hotfix", expiresAt, policies: ["no-privileged"] });

    const only = await listAdmissionDecisions(db, viewer, { breakGlass: "true" });
    expect(only.decisions.map((d) => d.name)).toEqual(["hotfix"]);
    expect(only.decisions[0]!.breakGlass).toEqual({ reason: "INC-4711 hotfix", expiresAt, policies: ["no-privileged"] });
    expect((await listAdmissionDecisions(db, viewer, { breakGlass: "false" })).decisions.map((d) => d.name)).toEqual(["normal"]);
    expect((await listAdmissionDecisions(db, viewer, { warned: "true" })).decisions.map((d) => d.name)).toEqual(["hotfix"]);

    const invalid = await caught(recordAdmissionDecisions(db, token, { enforcementPoint: "edge-1", decisions: [decision({ breakGlass: { reason: "", expiresAt: "soon", policies: [] } })] }));
    expect(invalid.fields?.map((f) => f.path).sort()).toEqual(["decisions.0.breakGlass.expiresAt", "decisions.0.breakGlass.reason"]);
  });
});
