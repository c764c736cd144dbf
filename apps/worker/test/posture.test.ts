import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import {
  acceptReport,
  authenticateToken,
  createApiTokenForOrg,
  enqueue,
  POLICY_FINDING_SOURCE,
  postureEvaluateDueJob,
  postureInputsKey,
  processReportJob,
  setPolicyEnabled,
  type Redis,
} from "@bulwark/core";
import { type WorkerHandle } from "../src/start-worker.ts";
import { settled, startTestWorker, uid, waitFor } from "./helpers.ts";

// The inventory's policy evaluation through the real worker: an INVENTORY report is processed and its
// cluster evaluated (posture.evaluate), and a policy change is noticed by the per-minute check
// (posture.evaluate-due), which re-evaluates the organization and resolves the disabled policy's findings.

let db: Db;
let redis: Redis;
let worker: WorkerHandle;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, redis, worker, close } = await startTestWorker("posture"));
});

afterAll(async () => {
  await close();
});

const inventory = {
  apiVersion: "v1",
  kind: "List",
  items: [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "agent", namespace: "shop" },
      spec: { template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image: "ghcr.io/acme/agent:1.0", securityContext: { privileged: true } }] } } },
    },
  ],
};

describe("posture evaluation in the worker", () => {
  it("evaluates a cluster after its inventory, and the organization after a policy change", async () => {
    const org = await db.organization.create({ data: { slug: `posture-${uid()}`, name: "Posture test" } });
    const token = await createApiTokenForOrg(db, org.slug, { name: "connector", scopes: ["ingest"] }, "test");
    const ctx = await authenticateToken(db, token.token, "ingest");
    const accepted = await acceptReport(db, null, ctx, { kind: "INVENTORY", body: inventory, subject: "prod" });
    await enqueue(worker.queue, processReportJob, { reportId: accepted.id });

    const evaluated = await waitFor("workload evaluated", () => db.workload.findFirst({ where: { orgId: org.id, name: "agent", evaluatedAt: { not: null } } }), 30_000);
    expect(evaluated).toMatchObject({ pssLevel: "privileged", nonRoot: false, readOnlyRootFs: false, trustedImages: null });
    const open = () => db.finding.findMany({ where: { orgId: org.id, source: POLICY_FINDING_SOURCE, status: "OPEN" }, select: { ruleId: true } });
    expect((await open()).map((f) => f.ruleId)).toContain("no-privileged");

    // A cluster evaluation does not count as the organization's: the check queues a full one.
    expect(await redis.get(postureInputsKey(org.id))).toBeNull();
    const tick = await enqueue(worker.queue, postureEvaluateDueJob, { orgIds: [org.id] });
    expect((await settled(worker.queue, tick.id)).returnvalue).toEqual({ queued: 1 });
    await waitFor("full evaluation recorded", () => redis.get(postureInputsKey(org.id)), 30_000);

    const user = await db.user.create({ data: { email: `owner-${uid()}@test.local` } });
    await db.membership.create({ data: { orgId: org.id, userId: user.id, role: "OWNER" } });
    await setPolicyEnabled(db, { orgId: org.id, actor: { type: "user", userId: user.id, email: user.email, role: "OWNER" } }, "no-privileged", false);
    const recorded = await redis.get(postureInputsKey(org.id));
    const again = await enqueue(worker.queue, postureEvaluateDueJob, { orgIds: [org.id] });
    await settled(worker.queue, again.id);
    await waitFor("disabled policy's finding resolved", async () => !(await open()).some((f) => f.ruleId === "no-privileged"), 30_000);
    await waitFor("new inputs recorded", async () => (await redis.get(postureInputsKey(org.id))) !== recorded, 30_000);
    const resolved = await db.finding.findFirstOrThrow({ where: { orgId: org.id, source: POLICY_FINDING_SOURCE, ruleId: "no-privileged" } });
    expect(resolved.status).toBe("RESOLVED");
    // Nothing changed since: the next check queues nothing for this organization.
    const quiet = await enqueue(worker.queue, postureEvaluateDueJob, { orgIds: [org.id] });
    expect((await settled(worker.queue, quiet.id)).returnvalue).toEqual({ queued: 0 });
  }, 90_000);
});
