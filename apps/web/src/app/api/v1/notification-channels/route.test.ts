import "../../../../server/test-env.ts";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo } from "node:net";
import { createApiToken, ensureBuiltinPolicies, verifyWebhookSignature } from "@bulwark/core";
import { type Role } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Notification channel and delivery-log routes on the real test database: roles, field paths in
// problem+json answers, secrets absent from every answer, tenancy (404), a test-send to a loopback
// receiver, the retry endpoint, and admission batches handing violations to notify.route.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { queue } = await import("../../../../server/queue.ts");
const { apiRequest: req, makeOrgWith: makeOrgOf, params } = await import("../../../../server/route-testing.ts");
const list = await import("./route.ts");
const one = await import("./[id]/route.ts");
const test = await import("./[id]/test/route.ts");
const deliveries = await import("../notification-deliveries/route.ts");
const retry = await import("../notification-deliveries/[id]/retry/route.ts");
const decisions = await import("../enforcement/decisions/route.ts");
const { openApiDocument } = await import("../../../../server/openapi.ts");

const makeOrgWith = (role: Role) => makeOrgOf(role, "notify");
const BASE = "http://localhost:3000/api/v1";
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((r, res) => {
  const chunks: Buffer[] = [];
  r.on("data", (c: Buffer) => chunks.push(c));
  r.on("end", () => {
    received.push({ headers: r.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.end("ok");
  });
});
let hookUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in/s3cret-path-token`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await (await queue())?.close();
  await db().$disconnect();
});

type Saved = { channel: { id: string; config: { url: string } }; signingSecret: string | null };

describe("notification channel API", () => {
  it("an admin creates, reads, changes, test-sends and deletes a channel; secrets never come back", async () => {
    const admin = await makeOrgWith("ADMIN");
    session.userId = admin.user.id;
    const created = await list.POST(req(`${BASE}/notification-channels`, { method: "POST", body: { type: "WEBHOOK", name: "siem", config: { url: hookUrl }, routing: { minSeverity: "HIGH" } } }), undefined);
    expect(created.status).toBe(201);
    const saved = (await created.json()) as Saved;
    expect(created.headers.get("location")).toBe(`/api/v1/notification-channels/${saved.channel.id}`);
    expect(saved.signingSecret).toMatch(/^whsec_/);
    expect(saved.channel.config.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…$/);

    const id = saved.channel.id;
    const answers = [
      await (await list.GET(req(`${BASE}/notification-channels`), undefined)).text(),
      await (await one.GET(req(`${BASE}/notification-channels/${id}`), params({ id }))).text(),
      await (await one.PATCH(req(`${BASE}/notification-channels/${id}`, { method: "PATCH", body: { name: "siem-2", routing: { types: ["RUNTIME"] } } }), params({ id }))).text(),
    ];
    for (const a of answers) {
      expect(a).not.toContain("s3cret-path-token");
      expect(a).not.toContain(saved.signingSecret);
    }
    expect(JSON.parse(answers[2]!)).toMatchObject({ signingSecret: null, channel: { name: "siem-2", routing: { types: ["RUNTIME"] } } });

    const sent = await test.POST(req(`${BASE}/notification-channels/${id}/test`, { method: "POST" }), params({ id }));
    expect(sent.status).toBe(200);
    const result = (await sent.json()) as { deliveryId: string; status: string };
    expect(result.status).toBe("DELIVERED");
    const got = received.find((r) => r.headers["x-bulwark-delivery"] === result.deliveryId)!;
    expect(verifyWebhookSignature(saved.signingSecret!, String(got.headers["x-bulwark-timestamp"]), got.body, String(got.headers["x-bulwark-signature"]))).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ kind: "test", finding: { url: "http://localhost:3000/settings/notifications" } });

    const log = await deliveries.GET(req(`${BASE}/notification-deliveries?kind=test`), undefined);
    const logText = await log.text();
    expect(JSON.parse(logText)).toMatchObject({ items: [{ id: result.deliveryId, status: "DELIVERED", channel: { name: "siem-2" } }], nextCursor: null });
    expect(logText).not.toContain("s3cret-path-token");

    expect((await one.DELETE(req(`${BASE}/notification-channels/${id}`, { method: "DELETE" }), params({ id }))).status).toBe(204);
    expect((await one.GET(req(`${BASE}/notification-channels/${id}`), params({ id }))).status).toBe(404);
    const actions = (await db().auditLog.findMany({ where: { orgId: admin.org.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["notification_channel.created", "notification_channel.updated", "notification_channel.tested", "notification_channel.deleted"]);
  });

  it("refuses bad input with field paths and problem+json", async () => {
    const admin = await makeOrgWith("OWNER");
    session.userId = admin.user.id;
    const bad = await list.POST(req(`${BASE}/notification-channels`, { method: "POST", body: { type: "EMAIL", name: "mail", config: { host: "smtp.example.com", port: 0, security: "tls", from: "x", to: [] }, routing: { minSeverity: "URGENT" } } }), undefined);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["config.from", "config.port", "config.to", "routing.minSeverity"]);
    const wrongType = await list.POST(req(`${BASE}/notification-channels`, { method: "POST", body: { type: "SMS", name: "x", config: {} } }), undefined);
    expect(((await wrongType.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe("type");
    expect((await list.POST(req(`${BASE}/notification-channels`, { method: "POST", raw: "x".repeat(70_000) }), undefined)).status).toBe(413);
  });

  it("roles and tenancy: analysts read the log only, tokens manage nothing, other organizations get 404", async () => {
    const admin = await makeOrgWith("ADMIN");
    session.userId = admin.user.id;
    const { channel } = (await (await list.POST(req(`${BASE}/notification-channels`, { method: "POST", body: { type: "SLACK", name: "chat", config: { webhookUrl: hookUrl } } }), undefined)).json()) as Saved;
    const dead = await db().notificationDelivery.create({
      data: { orgId: admin.org.id, channelId: channel.id, kind: "alert", reason: "created", status: "DEAD", attempts: 6, lastError: "HTTP 500", payload: { version: 1 } },
    });

    const analyst = await makeOrgWith("ANALYST");
    await db().membership.create({ data: { orgId: admin.org.id, userId: analyst.user.id, role: "ANALYST" } });
    session.userId = analyst.user.id;
    expect((await list.GET(req(`${BASE}/notification-channels`), undefined)).status).toBe(403);
    expect((await deliveries.GET(req(`${BASE}/notification-deliveries?status=DEAD`), undefined)).status).toBe(200);
    expect((await retry.POST(req(`${BASE}/notification-deliveries/${dead.id}/retry`, { method: "POST" }), params({ id: dead.id }))).status).toBe(403);
    const { token } = await createApiToken(db(), admin.ctx, { name: "reader", scopes: ["read"] });
    expect((await list.GET(req(`${BASE}/notification-channels`, { token }), undefined)).status).toBe(403);

    const other = await makeOrgWith("OWNER");
    session.userId = other.user.id;
    const id = channel.id;
    expect((await one.GET(req(`${BASE}/notification-channels/${id}`), params({ id }))).status).toBe(404);
    expect((await one.PATCH(req(`${BASE}/notification-channels/${id}`, { method: "PATCH", body: { enabled: false } }), params({ id }))).status).toBe(404);
    expect((await one.DELETE(req(`${BASE}/notification-channels/${id}`, { method: "DELETE" }), params({ id }))).status).toBe(404);
    expect((await test.POST(req(`${BASE}/notification-channels/${id}/test`, { method: "POST" }), params({ id }))).status).toBe(404);
    expect((await retry.POST(req(`${BASE}/notification-deliveries/${dead.id}/retry`, { method: "POST" }), params({ id: dead.id }))).status).toBe(404);
    await expect((await deliveries.GET(req(`${BASE}/notification-deliveries?channel=${id}`), undefined)).json()).resolves.toEqual({ items: [], nextCursor: null });

    session.userId = admin.user.id;
    const retried = await retry.POST(req(`${BASE}/notification-deliveries/${dead.id}/retry`, { method: "POST" }), params({ id: dead.id }));
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ id: dead.id, status: "PENDING", attempts: 6 });
    const q = (await queue())!;
    const jobs = await q.getJobs(["waiting", "delayed", "prioritized"], 0, 2000);
    const job = jobs.find((j) => j.name === "notify.redeliver" && (j.data as { deliveryId: string }).deliveryId === dead.id);
    expect(job).toBeDefined();
    await job!.remove();
    expect((await retry.POST(req(`${BASE}/notification-deliveries/${dead.id}/retry`, { method: "POST" }), params({ id: dead.id }))).status).toBe(409);
  });

  it("an enforcement point's denied admission hands the new violation finding to notify.route, outside the answer", async () => {
    const admin = await makeOrgWith("ADMIN");
    await ensureBuiltinPolicies(db(), admin.org.id);
    const { token } = await createApiToken(db(), admin.ctx, { name: "enforcer", scopes: ["enforcement"] });
    const decision = {
      uid: crypto.randomUUID(),
      cluster: "edge",
      namespace: "shop",
      kind: "Deployment",
      name: "api",
      operation: "CREATE",
      allowed: false,
      policies: ["no-privileged"],
      userInfo: { username: "alice", groups: [] },
      decidedAt: new Date().toISOString(),
      violations: [{ policy: "no-privileged", severity: "CRITICAL", message: "privileged", container: "app" }],
    };
    const res = await decisions.POST(req(`${BASE}/enforcement/decisions`, { method: "POST", token, body: { enforcementPoint: "edge-1", decisions: [decision] } }), undefined);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ stored: 1, findings: { created: 1 } });
    expect(body).not.toHaveProperty("alerts");
    const finding = await db().finding.findFirstOrThrow({ where: { orgId: admin.org.id, type: "POLICY_VIOLATION" } });
    const q = (await queue())!;
    let job: Awaited<ReturnType<typeof q.getJobs>>[number] | undefined;
    for (let i = 0; i < 100 && !job; i++) {
      job = (await q.getJobs(["waiting", "delayed", "prioritized"], 0, 2000)).find((j) => j.name === "notify.route" && (j.data as { orgId: string }).orgId === admin.org.id);
      if (!job) await new Promise((r) => setTimeout(r, 20));
    }
    expect(job?.data).toEqual({ orgId: admin.org.id, candidates: [{ findingId: finding.id, reason: "created" }] });
    await job!.remove();
  });

  it("is described in the OpenAPI document", () => {
    const paths = (openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
    for (const [path, methods] of [
      ["/api/v1/notification-channels", ["get", "post"]],
      ["/api/v1/notification-channels/{id}", ["get", "patch", "delete"]],
      ["/api/v1/notification-channels/{id}/test", ["post"]],
      ["/api/v1/notification-deliveries", ["get"]],
      ["/api/v1/notification-deliveries/{id}/retry", ["post"]],
    ] as const) {
      for (const m of methods) expect(paths[path]?.[m], `${m} ${path}`).toBeDefined();
    }
  });
});
