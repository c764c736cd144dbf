import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { createResponseActions } from "../src/response/create-actions.ts";
import { type ResponseRequest } from "../src/response/targets.ts";
import { cancelResponseAction } from "../src/use-cases/cancel-response-action.ts";
import { claimEnforcementActions } from "../src/use-cases/claim-enforcement-actions.ts";
import { listResponseActions } from "../src/use-cases/list-response-actions.ts";
import { recordEnforcementHeartbeat } from "../src/use-cases/record-enforcement-heartbeat.ts";
import { reportEnforcementActionResult } from "../src/use-cases/report-enforcement-action-result.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// Enforcement points and response actions on the real database: a point claims only its own cluster's
// actions (never another cluster's or organization's), each action once, a stale claim is offered
// again; only the claimer reports the result, idempotently and audited; readers list, admins cancel.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const tokenCtx = (orgId: string, clusterId: string | null, tokenId = `t-${uid()}`): OrgContext => ({
  orgId,
  actor: { type: "token", tokenId, name: "enforcer", scopes: ["enforcement"], clusterId, registryId: null },
});

/** An organization with two clusters, each with an enforcement point (created by a heartbeat). */
async function setup() {
  const org = await makeOrg(db, "response");
  const [prod, staging] = [await db.cluster.create({ data: { orgId: org.id, name: `prod-${uid()}` } }), await db.cluster.create({ data: { orgId: org.id, name: `staging-${uid()}` } })];
  const prodToken = tokenCtx(org.id, prod.id);
  const stagingToken = tokenCtx(org.id, staging.id);
  await recordEnforcementHeartbeat(db, prodToken, { name: "prod-enforcer", agentVersion: "0.1.0", bundleVersion: 1 });
  await recordEnforcementHeartbeat(db, stagingToken, { name: "staging-enforcer", agentVersion: "0.1.0", bundleVersion: 1 });
  const roles = {} as Record<"VIEWER" | "ANALYST" | "ADMIN", OrgContext>;
  for (const role of ["VIEWER", "ANALYST", "ADMIN"] as const) roles[role] = userCtx(org.id, (await makeMember(db, org.id, role)).user, role);
  return { org, prod, staging, prodToken, stagingToken, ...roles };
}

const request = (clusterId: string, over: Partial<ResponseRequest> = {}): ResponseRequest => ({
  clusterId,
  policyKey: "no-privileged",
  action: "SCALE_TO_ZERO",
  namespace: "shop",
  kind: "Deployment",
  name: `web-${uid()}`,
  pod: null,
  workloadId: null,
  findingId: null,
  reason: "test",
  ...over,
});

async function actionIn(orgId: string, clusterId: string, over: Partial<ResponseRequest> = {}) {
  const { created } = await createResponseActions(db, orgId, [request(clusterId, over)]);
  return created[0]!;
}

describe("claiming actions", () => {
  it("gives each cluster's point its own actions, once, oldest first", async () => {
    const { org, prod, staging, prodToken, stagingToken } = await setup();
    const a1 = await actionIn(org.id, prod.id);
    const a2 = await actionIn(org.id, prod.id, { action: "DELETE_POD", kind: "Pod", name: "debug", pod: "debug" });
    const s1 = await actionIn(org.id, staging.id);
    const other = await setup();
    await actionIn(other.org.id, other.prod.id);

    const claimed = await claimEnforcementActions(db, prodToken, { point: "prod-enforcer" });
    expect(claimed.enforcementPoint.name).toBe("prod-enforcer");
    expect(claimed.actions.map((a) => a.id)).toEqual([a1.id, a2.id]);
    expect(claimed.actions[1]).toMatchObject({ action: "DELETE_POD", namespace: "shop", kind: "Pod", name: "debug", pod: "debug", policy: "no-privileged", reason: "test" });
    const point = await db.enforcementPoint.findFirstOrThrow({ where: { orgId: org.id, name: "prod-enforcer" } });
    const row = await db.enforcementAction.findUniqueOrThrow({ where: { id: a1.id } });
    expect(row).toMatchObject({ status: "CLAIMED", enforcementPointId: point.id });
    expect(row.claimedAt).toBeInstanceOf(Date);

    expect((await claimEnforcementActions(db, prodToken, { point: "prod-enforcer" })).actions).toEqual([]);
    expect((await claimEnforcementActions(db, stagingToken, { point: "staging-enforcer" })).actions.map((a) => a.id)).toEqual([s1.id]);
    // The other organization's point sees only its own action.
    expect((await claimEnforcementActions(db, other.prodToken, { point: "prod-enforcer" })).actions).toHaveLength(1);
  });

  it("honours limit, offers a claim left unanswered for five minutes again, and skips cancelled actions", async () => {
    const { org, prod, prodToken, ADMIN } = await setup();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await actionIn(org.id, prod.id)).id);
    expect((await claimEnforcementActions(db, prodToken, { point: "prod-enforcer", limit: "2" })).actions.map((a) => a.id)).toEqual(ids.slice(0, 2));
    await cancelResponseAction(db, ADMIN, ids[2]!);
    expect((await claimEnforcementActions(db, prodToken, { point: "prod-enforcer" })).actions).toEqual([]);
    await db.enforcementAction.update({ where: { id: ids[0]! }, data: { claimedAt: new Date(Date.now() - 6 * 60_000) } });
    expect((await claimEnforcementActions(db, prodToken, { point: "prod-enforcer" })).actions.map((a) => a.id)).toEqual([ids[0]]);
  });

  it("long-polls until an action arrives, and answers empty when the wait ends", async () => {
    const { org, prod, prodToken } = await setup();
    let t0 = Date.now();
    expect((await claimEnforcementActions(db, prodToken, { point: "prod-enforcer", wait: "1" })).actions).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    setTimeout(() => void actionIn(org.id, prod.id), 600);
    t0 = Date.now();
    const got = await claimEnforcementActions(db, prodToken, { point: "prod-enforcer", wait: "20" });
    expect(got.actions).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(5000);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    t0 = Date.now();
    expect((await claimEnforcementActions(db, prodToken, { point: "prod-enforcer", wait: "20" }, { signal: abort.signal })).actions).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("refuses points the token does not speak for, other scopes, and bad queries", async () => {
    const { org, prod, prodToken, stagingToken, ADMIN } = await setup();
    await actionIn(org.id, prod.id);
    // The staging token naming the prod point, a new token of the same cluster, a point that never beat.
    expect((await caught(claimEnforcementActions(db, stagingToken, { point: "prod-enforcer" }))).code).toBe("NOT_FOUND");
    expect((await caught(claimEnforcementActions(db, tokenCtx(org.id, prod.id), { point: "prod-enforcer" }))).code).toBe("NOT_FOUND");
    expect((await caught(claimEnforcementActions(db, prodToken, { point: "nobody" }))).code).toBe("NOT_FOUND");
    expect((await caught(claimEnforcementActions(db, ADMIN, { point: "prod-enforcer" }))).code).toBe("FORBIDDEN");
    const reader: OrgContext = { orgId: org.id, actor: { ...(prodToken.actor as Extract<OrgContext["actor"], { type: "token" }>), scopes: ["read"] } };
    expect((await caught(claimEnforcementActions(db, reader, { point: "prod-enforcer" }))).code).toBe("FORBIDDEN");
    const bad = await caught(claimEnforcementActions(db, prodToken, { point: "prod-enforcer", limit: "500", wait: "31" }));
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(["limit", "wait"]);
    expect(await db.enforcementAction.count({ where: { orgId: org.id, status: "PENDING" } })).toBe(1);
  });
});

describe("reporting results", () => {
  it("records the claimer's result once, audited; repeats are no-ops, other answers conflicts", async () => {
    const { org, prod, prodToken, stagingToken } = await setup();
    const a = await actionIn(org.id, prod.id);
    const b = await actionIn(org.id, prod.id);
    await claimEnforcementActions(db, prodToken, { point: "prod-enforcer" });

    const done = await reportEnforcementActionResult(db, prodToken, a.id, { enforcementPoint: "prod-enforcer", status: "SUCCEEDED", message: "scaled deployments shop/web to 0" });
    expect(done).toMatchObject({ id: a.id, status: "SUCCEEDED", result: "scaled deployments shop/web to 0", enforcementPoint: { name: "prod-enforcer" }, cluster: { id: prod.id } });
    expect(done.completedAt).toBeInstanceOf(Date);
    const again = await reportEnforcementActionResult(db, prodToken, a.id, { enforcementPoint: "prod-enforcer", status: "SUCCEEDED", message: "retry" });
    expect(again.result).toBe("scaled deployments shop/web to 0");
    expect((await caught(reportEnforcementActionResult(db, prodToken, a.id, { enforcementPoint: "prod-enforcer", status: "FAILED" }))).code).toBe("CONFLICT");

    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "response.result" } });
    expect(audit).toEqual([expect.objectContaining({ actorType: "TOKEN", targetType: "enforcement-action", targetId: a.id })]);
    expect(audit[0]!.metadata).toMatchObject({ status: "SUCCEEDED", enforcementPoint: "prod-enforcer", policy: "no-privileged", action: "SCALE_TO_ZERO" });

    // The staging point did not claim b; an unclaimed action has no claimer to answer.
    expect((await caught(reportEnforcementActionResult(db, stagingToken, b.id, { enforcementPoint: "staging-enforcer", status: "SKIPPED" }))).code).toBe("CONFLICT");
    const c = await actionIn(org.id, prod.id);
    expect((await caught(reportEnforcementActionResult(db, prodToken, c.id, { enforcementPoint: "prod-enforcer", status: "SKIPPED" }))).code).toBe("CONFLICT");
    const bad = await caught(reportEnforcementActionResult(db, prodToken, b.id, { enforcementPoint: "prod-enforcer", status: "CANCELLED" }));
    expect(bad.fields?.map((f) => f.path)).toEqual(["status"]);
    expect((await db.enforcementAction.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("CLAIMED");
  });

  it("keeps another organization's actions invisible: 404 for results and cancels", async () => {
    const mine = await setup();
    const theirs = await setup();
    const a = await actionIn(theirs.org.id, theirs.prod.id);
    await claimEnforcementActions(db, theirs.prodToken, { point: "prod-enforcer" });
    expect((await caught(reportEnforcementActionResult(db, mine.prodToken, a.id, { enforcementPoint: "prod-enforcer", status: "SUCCEEDED" }))).code).toBe("NOT_FOUND");
    expect((await caught(cancelResponseAction(db, mine.ADMIN, a.id))).code).toBe("NOT_FOUND");
    expect((await listResponseActions(db, mine.VIEWER, {})).actions).toEqual([]);
    expect((await db.enforcementAction.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("CLAIMED");
  });

  it("records a result reported after a cancel, since the enforcer may already have acted", async () => {
    const { org, prod, prodToken, ADMIN } = await setup();
    const a = await actionIn(org.id, prod.id);
    await claimEnforcementActions(db, prodToken, { point: "prod-enforcer" });
    expect((await cancelResponseAction(db, ADMIN, a.id)).status).toBe("CANCELLED");
    const late = await reportEnforcementActionResult(db, prodToken, a.id, { enforcementPoint: "prod-enforcer", status: "SUCCEEDED", message: "deleted" });
    expect(late.status).toBe("SUCCEEDED");
    const audit = await db.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "response.result", targetId: a.id } });
    expect(audit.metadata).toMatchObject({ afterCancel: true });
  });
});

describe("listing and cancelling", () => {
  it("lists newest first with filters and keyset pages, for any reader", async () => {
    const { org, prod, staging, VIEWER } = await setup();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await actionIn(org.id, prod.id)).id);
    const s = await actionIn(org.id, staging.id, { policyKey: "read-only-root-fs" });
    const all = await listResponseActions(db, VIEWER, {});
    expect(all.actions.map((a) => a.id)).toEqual([s.id, ...ids.reverse()]);
    expect(all.actions[0]).toMatchObject({ cluster: { id: staging.id, name: staging.name }, policyKey: "read-only-root-fs", status: "PENDING", enforcementPoint: null, finding: null });

    const first = await listResponseActions(db, VIEWER, { limit: "2" });
    expect(first.actions).toHaveLength(2);
    const second = await listResponseActions(db, VIEWER, { limit: "2", cursor: first.nextCursor });
    expect([...first.actions, ...second.actions].map((a) => a.id)).toEqual(all.actions.map((a) => a.id));
    expect(second.nextCursor).toBeNull();

    expect((await listResponseActions(db, VIEWER, { cluster: staging.name })).actions.map((a) => a.id)).toEqual([s.id]);
    expect((await listResponseActions(db, VIEWER, { policy: "no-privileged" })).actions).toHaveLength(3);
    expect((await listResponseActions(db, VIEWER, { status: "CLAIMED" })).actions).toEqual([]);
    const bad = await caught(listResponseActions(db, VIEWER, { status: "DONE", cursor: "nope" }));
    expect(bad.fields?.map((f) => f.path)).toEqual(["status"]);
    expect((await caught(listResponseActions(db, VIEWER, { cursor: "nope" }))).fields?.[0]?.path).toBe("cursor");
  });

  it("lets admins cancel pending and claimed actions (audited), nobody else, and only once", async () => {
    const { org, prod, prodToken, VIEWER, ANALYST, ADMIN } = await setup();
    const a = await actionIn(org.id, prod.id);
    for (const ctx of [VIEWER, ANALYST, prodToken]) expect((await caught(cancelResponseAction(db, ctx, a.id))).code).toBe("FORBIDDEN");
    const cancelled = await cancelResponseAction(db, ADMIN, a.id);
    expect(cancelled).toMatchObject({ status: "CANCELLED", result: expect.stringMatching(/^Cancelled by admin-/) });
    expect((await caught(cancelResponseAction(db, ADMIN, a.id))).code).toBe("CONFLICT");
    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "response.cancel" } });
    expect(audit).toEqual([expect.objectContaining({ actorType: "USER", targetId: a.id })]);
    expect(audit[0]!.metadata).toMatchObject({ wasStatus: "PENDING" });
    expect((await caught(cancelResponseAction(db, ADMIN, "does-not-exist"))).code).toBe("NOT_FOUND");
  });
});
