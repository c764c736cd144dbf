import { randomUUID } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { enqueueAlerts } from "../src/notifications/queue-alerts.ts";
import { verifyWebhookSignature } from "../src/notifications/render.ts";
import { createNotificationChannel } from "../src/use-cases/create-notification-channel.ts";
import { ensureBuiltinPolicies } from "../src/use-cases/ensure-builtin-policies.ts";
import { listNotificationDeliveries } from "../src/use-cases/list-notification-deliveries.ts";
import { recordAdmissionDecisions } from "../src/use-cases/record-admission-decisions.ts";
import { retryNotificationDelivery } from "../src/use-cases/retry-notification-delivery.ts";
import { caught, makeEstate, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";
import { startNotifyWorker, startReceiver, TEST_KEY_SECRET, waitFor } from "./notification-helpers.ts";

// Alerts through a real BullMQ worker to loopback receivers: one alert per finding and dedup window
// however many candidates arrive, retries with backoff until success, the dead-letter state and an
// admin's retry, routing across channels, Slack's shape, and admission violations alerting.

let db: Db;
let worker: Awaited<ReturnType<typeof startNotifyWorker>>;
const ATTEMPTS = 3;

beforeAll(async () => {
  db = testDb();
  worker = await startNotifyWorker(db, { attempts: ATTEMPTS, backoffMs: 50, dashboardUrl: "https://bulwark.example/", timeoutMs: 2_000 });
});
afterAll(async () => {
  await worker.close();
  await db.$disconnect();
});

async function setup(severities: ("CRITICAL" | "HIGH" | "MEDIUM" | "LOW")[] = ["HIGH"]) {
  const org = await makeOrg(db, "alerts");
  const admin = userCtx(org.id, (await makeMember(db, org.id, "ADMIN")).user, "ADMIN");
  const estate = await makeEstate(db, org.id, severities, "RUNTIME");
  return { org, admin, ...estate };
}

async function webhook(admin: OrgContext, url: string, extra: Record<string, unknown> = {}) {
  const created = await createNotificationChannel(db, admin, { type: "WEBHOOK", name: `hook-${uid()}`, config: { url }, ...extra }, TEST_KEY_SECRET);
  return { id: created.channel.id, secret: created.signingSecret! };
}

const deliveriesOf = (channelId: string) => db.notificationDelivery.findMany({ where: { channelId }, orderBy: { createdAt: "asc" } });

describe("alert delivery", () => {
  it("a burst of candidates for one finding sends exactly one signed alert", async () => {
    const { org, admin, findings, cluster, workload } = await setup();
    const receiver = await startReceiver();
    try {
      const hook = await webhook(admin, receiver.url);
      const finding = findings[0]!;
      // 50 sightings of the same aggregate, in bursts from concurrent ingest jobs.
      await Promise.all(Array.from({ length: 10 }, () => enqueueAlerts(worker.queue, org.id, Array.from({ length: 5 }, () => ({ findingId: finding.id, reason: "created" as const })))));
      await waitFor("the alert", async () => receiver.requests.length >= 1);
      await waitFor("every notify.route job", async () => {
        const c = await worker.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
        return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.requests).toHaveLength(1);
      const req = receiver.requests[0]!;
      expect(verifyWebhookSignature(hook.secret, String(req.headers["x-bulwark-timestamp"]), req.body, String(req.headers["x-bulwark-signature"]))).toBe(true);
      const body = JSON.parse(req.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        version: 1,
        kind: "alert",
        reason: "created",
        organization: { slug: org.slug },
        finding: { id: finding.id, type: "RUNTIME", severity: "HIGH", rule: finding.ruleId, cluster: cluster.name, namespace: "default", workload: { kind: "Deployment", name: workload.name }, url: `https://bulwark.example/findings/${finding.id}` },
      });
      const [delivery] = await deliveriesOf(hook.id);
      expect(body.deliveryId).toBe(delivery!.id);
      expect(req.headers["x-bulwark-delivery"]).toBe(delivery!.id);
      expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 1, responseStatus: 200, findingId: finding.id, kind: "alert", reason: "created" });
      expect(JSON.stringify(delivery!.payload)).not.toContain(hook.secret);
      expect(JSON.stringify(delivery!.payload)).not.toContain("t0ken-in-path");

      // Inside the window nothing more; once the window has passed the finding may alert again.
      await enqueueAlerts(worker.queue, org.id, [{ findingId: finding.id, reason: "reopened" }]);
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.requests).toHaveLength(1);
      await db.finding.update({ where: { id: finding.id }, data: { alertedAt: new Date(Date.now() - 61 * 60_000) } });
      await enqueueAlerts(worker.queue, org.id, [{ findingId: finding.id, reason: "reopened" }]);
      await waitFor("the second alert", async () => receiver.requests.length === 2);
      expect(JSON.parse(receiver.requests[1]!.body)).toMatchObject({ reason: "reopened" });
    } finally {
      await receiver.close();
    }
  });

  it("retries with backoff: a receiver failing twice gets the alert on the third attempt", async () => {
    const { org, admin, findings } = await setup();
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    try {
      const hook = await webhook(admin, receiver.url);
      await enqueueAlerts(worker.queue, org.id, [{ findingId: findings[0]!.id, reason: "created" }]);
      const [delivery] = await waitFor("delivered", async () => {
        const rows = await deliveriesOf(hook.id);
        return rows[0]?.status === "DELIVERED" ? rows : undefined;
      });
      expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3, responseStatus: 200, lastError: null });
      expect(receiver.requests).toHaveLength(3);
      // Exponential: the second gap is about twice the first (50 ms, then 100 ms).
      const [a, b, c] = receiver.requests.map((r) => r.at);
      expect(b! - a!).toBeGreaterThanOrEqual(45);
      expect(c! - b!).toBeGreaterThanOrEqual(90);
      // Every attempt of one delivery carries the same delivery id, so receivers can drop duplicates.
      expect(new Set(receiver.requests.map((r) => r.headers["x-bulwark-delivery"])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it("a receiver that always fails leaves the delivery DEAD after the configured attempts; an admin's retry sends it", async () => {
    const { org, admin, findings } = await setup();
    let healthy = false;
    const receiver = await startReceiver(() => (healthy ? 204 : 503));
    try {
      const hook = await webhook(admin, receiver.url);
      await enqueueAlerts(worker.queue, org.id, [{ findingId: findings[0]!.id, reason: "created" }]);
      const [dead] = await waitFor("dead", async () => {
        const rows = await deliveriesOf(hook.id);
        return rows[0]?.status === "DEAD" ? rows : undefined;
      });
      expect(dead).toMatchObject({ status: "DEAD", attempts: ATTEMPTS, responseStatus: 503, lastError: "HTTP 503 Service Unavailable" });
      expect(receiver.requests).toHaveLength(ATTEMPTS);
      expect((await listNotificationDeliveries(db, admin, { status: "DEAD" })).items.map((d) => d.id)).toEqual([dead!.id]);

      healthy = true;
      expect((await caught(retryNotificationDelivery(db, null, admin, dead!.id))).code).toBe("UNAVAILABLE");
      const other = userCtx((await makeOrg(db)).id, { id: "u", email: "x@test.local" }, "ADMIN");
      expect((await caught(retryNotificationDelivery(db, worker.queue, other, dead!.id))).code).toBe("NOT_FOUND");
      const retried = await retryNotificationDelivery(db, worker.queue, admin, dead!.id);
      expect(retried.status).toBe("PENDING");
      const done = await waitFor("redelivered", async () => {
        const row = await db.notificationDelivery.findUniqueOrThrow({ where: { id: dead!.id } });
        return row.status === "DELIVERED" ? row : undefined;
      });
      expect(done).toMatchObject({ attempts: ATTEMPTS + 1, responseStatus: 204, lastError: null });
      expect((await caught(retryNotificationDelivery(db, worker.queue, admin, dead!.id))).code).toBe("CONFLICT");
      const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "notification_delivery.retried" } });
      expect(audit).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("routes by severity, type and cluster; Slack channels get Block Kit", async () => {
    const { org, admin, findings, cluster } = await setup(["CRITICAL", "LOW"]);
    const hookRx = await startReceiver();
    const slackRx = await startReceiver();
    try {
      const critical = await webhook(admin, hookRx.url, { routing: { minSeverity: "HIGH", types: ["RUNTIME"], clusters: [cluster.name] } });
      const elsewhere = await webhook(admin, hookRx.url, { routing: { clusters: ["some-other-cluster"] } });
      const disabled = await webhook(admin, hookRx.url, { enabled: false });
      const slack = await createNotificationChannel(db, admin, { type: "SLACK", name: "chat", config: { webhookUrl: slackRx.url } }, TEST_KEY_SECRET);
      await enqueueAlerts(worker.queue, org.id, findings.map((f) => ({ findingId: f.id, reason: "created" as const })));
      await waitFor("slack gets both", async () => slackRx.requests.length === 2);
      await waitFor("the webhook gets the critical one", async () => hookRx.requests.length === 1);
      expect(JSON.parse(hookRx.requests[0]!.body)).toMatchObject({ finding: { id: findings[0]!.id, severity: "CRITICAL" } });
      expect(await deliveriesOf(critical.id)).toHaveLength(1);
      expect(await deliveriesOf(elsewhere.id)).toHaveLength(0);
      expect(await deliveriesOf(disabled.id)).toHaveLength(0);
      const msg = JSON.parse(slackRx.requests.find((r) => r.body.includes("CRITICAL"))!.body) as { text: string; blocks: Array<{ type: string; fields?: unknown[] }> };
      expect(msg.text).toMatch(/^\[Bulwark\] CRITICAL /);
      expect(msg.blocks.map((b) => b.type)).toEqual(["section", "section", "context"]);
      expect(slackRx.requests[0]!.headers["x-bulwark-signature"]).toBeUndefined();
      expect((await deliveriesOf(slack.channel.id)).every((d) => d.status === "DELIVERED")).toBe(true);
    } finally {
      await hookRx.close();
      await slackRx.close();
    }
  });

  it("admission decisions that create a violation finding alert once; a re-sent batch adds nothing", async () => {
    const org = await makeOrg(db, "admission-alerts");
    await ensureBuiltinPolicies(db, org.id);
    const admin = userCtx(org.id, (await makeMember(db, org.id, "ADMIN")).user, "ADMIN");
    const cluster = await db.cluster.create({ data: { orgId: org.id, name: `prod-${uid()}` } });
    const token: OrgContext = { orgId: org.id, actor: { type: "token", tokenId: `t-${uid()}`, name: "enforcer", scopes: ["enforcement"], clusterId: cluster.id, registryId: null } };
    const receiver = await startReceiver();
    try {
      await webhook(admin, receiver.url, { routing: { types: ["POLICY_VIOLATION"], policies: ["no-privileged"] } });
      const decision = {
        uid: randomUUID(),
        namespace: "payments",
        kind: "Deployment",
        name: "api",
        operation: "CREATE",
        allowed: false,
        policies: ["no-privileged"],
        userInfo: { username: "dev@acme.io", groups: [] },
        decidedAt: new Date().toISOString(),
        violations: [{ policy: "no-privileged", severity: "CRITICAL", message: 'Container "app" runs privileged', container: "app" }],
      };
      const batch = { enforcementPoint: "edge-1", decisions: [decision] };
      const first = await recordAdmissionDecisions(db, token, batch);
      expect(first.alerts).toHaveLength(1);
      expect(first.alerts[0]!.reason).toBe("created");
      expect((await recordAdmissionDecisions(db, token, batch)).alerts).toEqual([]);
      await enqueueAlerts(worker.queue, org.id, first.alerts);
      await waitFor("the violation alert", async () => receiver.requests.length === 1);
      expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ finding: { type: "POLICY_VIOLATION", rule: "no-privileged", severity: "CRITICAL", cluster: cluster.name, namespace: "payments", workload: { kind: "Deployment", name: "api" } } });
    } finally {
      await receiver.close();
    }
  });
});
