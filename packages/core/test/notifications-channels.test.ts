import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { verifyWebhookSignature } from "../src/notifications/render.ts";
import { createNotificationChannel } from "../src/use-cases/create-notification-channel.ts";
import { deleteNotificationChannel } from "../src/use-cases/delete-notification-channel.ts";
import { getNotificationChannel } from "../src/use-cases/get-notification-channel.ts";
import { listNotificationChannels } from "../src/use-cases/list-notification-channels.ts";
import { listNotificationDeliveries } from "../src/use-cases/list-notification-deliveries.ts";
import { retryNotificationDelivery } from "../src/use-cases/retry-notification-delivery.ts";
import { sendTestNotification } from "../src/use-cases/send-test-notification.ts";
import { updateNotificationChannel } from "../src/use-cases/update-notification-channel.ts";
import { caught, makeMember, makeOrg, testDb, userCtx } from "./helpers.ts";
import { closedPort, startReceiver, startSmtp, TEST_KEY_SECRET } from "./notification-helpers.ts";

// Channel administration on the real database: roles, tenancy, secrets kept out of every answer, the
// audit log and the delivery log, updates that keep secrets, and test-sends through loopback servers.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function orgWith() {
  const org = await makeOrg(db, "notify");
  const ctxOf = async (role: "OWNER" | "ADMIN" | "ANALYST" | "VIEWER"): Promise<OrgContext> => userCtx(org.id, (await makeMember(db, org.id, role)).user, role);
  return { org, admin: await ctxOf("ADMIN"), analyst: await ctxOf("ANALYST"), viewer: await ctxOf("VIEWER") };
}

const settings = { keySecret: TEST_KEY_SECRET, dashboardUrl: "https://bulwark.example", timeoutMs: 2_000 };

describe("notification channels", () => {
  it("a webhook channel gets a generated secret shown once; no answer, audit row or stored column reveals its secrets", async () => {
    const { org, admin } = await orgWith();
    const receiver = await startReceiver();
    try {
      const created = await createNotificationChannel(db, admin, { type: "WEBHOOK", name: "siem", config: { url: receiver.url, headers: { Authorization: "Bearer hdr-s3cret" } }, routing: { minSeverity: "HIGH" } }, TEST_KEY_SECRET);
      expect(created.signingSecret).toMatch(/^whsec_/);
      expect(created.channel).toMatchObject({ name: "siem", type: "WEBHOOK", enabled: true, routing: { minSeverity: "HIGH" }, config: { url: `http://127.0.0.1:${receiver.port}/…`, headerNames: ["Authorization"] } });
      const secrets = [created.signingSecret!, "t0ken-in-path", "q5ecret", "hdr-s3cret"];
      const shown = JSON.stringify([created.channel, await listNotificationChannels(db, admin), await getNotificationChannel(db, admin, created.channel.id)]);
      const audit = JSON.stringify(await db.auditLog.findMany({ where: { orgId: org.id } }));
      const row = await db.notificationChannel.findUniqueOrThrow({ where: { id: created.channel.id } });
      const stored = Buffer.from(row.secrets!).toString("latin1") + JSON.stringify(row.config);
      for (const s of secrets) {
        expect(shown).not.toContain(s);
        expect(audit).not.toContain(s);
        expect(stored).not.toContain(s);
      }
      expect(audit).toContain("notification_channel.created");

      const sent = await sendTestNotification(db, admin, created.channel.id, settings);
      expect(sent).toMatchObject({ status: "DELIVERED", responseStatus: 200, error: null });
      expect(receiver.requests).toHaveLength(1);
      const req = receiver.requests[0]!;
      expect(req.headers.authorization).toBe("Bearer hdr-s3cret");
      expect(req.headers["x-bulwark-delivery"]).toBe(sent.deliveryId);
      expect(verifyWebhookSignature(created.signingSecret!, String(req.headers["x-bulwark-timestamp"]), req.body, String(req.headers["x-bulwark-signature"]))).toBe(true);
      expect(JSON.parse(req.body)).toMatchObject({ kind: "test", reason: "test", deliveryId: sent.deliveryId, organization: { slug: org.slug }, finding: { url: "https://bulwark.example/settings/notifications" } });

      const log = await listNotificationDeliveries(db, admin, {});
      expect(log.items).toEqual([expect.objectContaining({ id: sent.deliveryId, kind: "test", status: "DELIVERED", attempts: 1, responseStatus: 200, channel: { id: created.channel.id, name: "siem", type: "WEBHOOK" } })]);
      for (const s of secrets) expect(JSON.stringify(log)).not.toContain(s);
      expect((await listNotificationChannels(db, admin))[0]!.lastDelivery).toMatchObject({ status: "DELIVERED" });
    } finally {
      await receiver.close();
    }
  });

  it("updates keep secrets unless replaced; a regenerated secret is returned once and signs from then on", async () => {
    const { admin } = await orgWith();
    const first = await startReceiver();
    const second = await startReceiver();
    try {
      const { channel } = await createNotificationChannel(db, admin, { type: "WEBHOOK", name: "hook", config: { url: first.url, secret: "my-own-secret-0123456789" } }, TEST_KEY_SECRET);
      const renamed = await updateNotificationChannel(db, admin, channel.id, { name: "hook-2", routing: { types: ["RUNTIME"] }, enabled: false }, TEST_KEY_SECRET);
      expect(renamed).toMatchObject({ signingSecret: null, channel: { name: "hook-2", enabled: false, routing: { types: ["RUNTIME"] } } });
      await sendTestNotification(db, admin, channel.id, settings);
      const r1 = first.requests[0]!;
      expect(verifyWebhookSignature("my-own-secret-0123456789", String(r1.headers["x-bulwark-timestamp"]), r1.body, String(r1.headers["x-bulwark-signature"]))).toBe(true);

      const moved = await updateNotificationChannel(db, admin, channel.id, { config: { url: second.url, regenerateSecret: true } }, TEST_KEY_SECRET);
      expect(moved.signingSecret).toMatch(/^whsec_/);
      await sendTestNotification(db, admin, channel.id, settings);
      expect(first.requests).toHaveLength(1);
      const r2 = second.requests[0]!;
      expect(verifyWebhookSignature(moved.signingSecret!, String(r2.headers["x-bulwark-timestamp"]), r2.body, String(r2.headers["x-bulwark-signature"]))).toBe(true);

      const bad = await caught(updateNotificationChannel(db, admin, channel.id, { config: { url: "gopher://x", webhookUrl: "https://x" } }, TEST_KEY_SECRET));
      expect(bad.fields?.map((f) => f.path).sort()).toEqual(["config", "config.url"]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("an email channel test-sends through SMTP with its stored password; a password can be cleared", async () => {
    const { admin } = await orgWith();
    const smtp = await startSmtp();
    try {
      const { channel } = await createNotificationChannel(
        db,
        admin,
        { type: "EMAIL", name: "mail", config: { host: "127.0.0.1", port: smtp.port, security: "none", username: "alerts", password: "smtp-pass-123", from: "bulwark@example.com", to: ["sec@example.com", "ops@example.com"] } },
        TEST_KEY_SECRET,
      );
      expect(channel.config).toEqual({ host: "127.0.0.1", port: smtp.port, security: "none", from: "bulwark@example.com", to: ["sec@example.com", "ops@example.com"], username: "alerts", hasPassword: true });
      const sent = await sendTestNotification(db, admin, channel.id, settings);
      expect(sent).toMatchObject({ status: "DELIVERED", responseStatus: 250 });
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]).toMatchObject({ from: "bulwark@example.com", to: ["sec@example.com", "ops@example.com"], user: "alerts" });
      expect(smtp.mails[0]!.raw).toContain("Subject: [Bulwark] INFO Test notification from Bulwark");
      expect(smtp.mails[0]!.raw).toContain("text/html");

      const cleared = await updateNotificationChannel(db, admin, channel.id, { config: { password: null } }, TEST_KEY_SECRET);
      expect(cleared.channel.config).toMatchObject({ username: "alerts", hasPassword: false });
      const refused = await sendTestNotification(db, admin, channel.id, settings);
      expect(refused.status).toBe("DEAD");
      expect(refused.error).toMatch(/^SMTP EAUTH/);
    } finally {
      await smtp.close();
    }
  });

  it("an unreachable endpoint or an unreadable secret is a DEAD test delivery with a short error naming no URL", async () => {
    const { admin } = await orgWith();
    const port = await closedPort();
    const { channel } = await createNotificationChannel(db, admin, { type: "SLACK", name: "chat", config: { webhookUrl: `http://127.0.0.1:${port}/services/T0/B0/sl4ck-secret` } }, TEST_KEY_SECRET);
    const refused = await sendTestNotification(db, admin, channel.id, settings);
    expect(refused).toMatchObject({ status: "DEAD", responseStatus: null, error: "connection refused" });
    const wrongKey = await sendTestNotification(db, admin, channel.id, { ...settings, keySecret: "another-installation-secret" });
    expect(wrongKey.status).toBe("DEAD");
    expect(wrongKey.error).toContain("cannot be decrypted");
    const dead = await listNotificationDeliveries(db, admin, { status: "DEAD", channel: channel.id });
    expect(dead.items).toHaveLength(2);
    expect(JSON.stringify(dead)).not.toContain("sl4ck-secret");
    // Test sends are one-shot; retrying them is refused.
    expect((await caught(retryNotificationDelivery(db, null, admin, refused.deliveryId))).code).toBe("CONFLICT");
  });

  it("roles: ADMIN+ manages channels, ANALYST+ reads the delivery log, tokens neither; other organizations get 404", async () => {
    const { admin, analyst, viewer } = await orgWith();
    const input = { type: "SLACK", name: "chat", config: { webhookUrl: "https://hooks.slack.com/services/T0/B0/x" } };
    const { channel } = await createNotificationChannel(db, admin, input, TEST_KEY_SECRET);
    expect((await caught(createNotificationChannel(db, analyst, { ...input, name: "other" }, TEST_KEY_SECRET))).code).toBe("FORBIDDEN");
    expect((await caught(listNotificationChannels(db, analyst))).code).toBe("FORBIDDEN");
    expect((await listNotificationDeliveries(db, analyst, {})).items).toEqual([]);
    expect((await caught(listNotificationDeliveries(db, viewer, {}))).code).toBe("FORBIDDEN");
    const token: OrgContext = { orgId: admin.orgId, actor: { type: "token", tokenId: "t", name: "ci", scopes: ["read"], clusterId: null, registryId: null } };
    expect((await caught(listNotificationChannels(db, token))).code).toBe("FORBIDDEN");
    expect((await caught(createNotificationChannel(db, admin, input, TEST_KEY_SECRET))).code).toBe("CONFLICT");

    const other = (await orgWith()).admin;
    expect((await caught(getNotificationChannel(db, other, channel.id))).code).toBe("NOT_FOUND");
    expect((await caught(updateNotificationChannel(db, other, channel.id, { name: "x" }, TEST_KEY_SECRET))).code).toBe("NOT_FOUND");
    expect((await caught(sendTestNotification(db, other, channel.id, settings))).code).toBe("NOT_FOUND");
    expect((await caught(deleteNotificationChannel(db, other, channel.id))).code).toBe("NOT_FOUND");

    await deleteNotificationChannel(db, admin, channel.id);
    expect(await listNotificationChannels(db, admin)).toEqual([]);
    const actions = (await db.auditLog.findMany({ where: { orgId: admin.orgId }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["notification_channel.created", "notification_channel.deleted"]);
  });

  it("the delivery log pages newest first and filters by status", async () => {
    const { admin } = await orgWith();
    const port = await closedPort();
    const receiver = await startReceiver();
    try {
      const ok = (await createNotificationChannel(db, admin, { type: "WEBHOOK", name: "ok", config: { url: receiver.url } }, TEST_KEY_SECRET)).channel;
      const down = (await createNotificationChannel(db, admin, { type: "WEBHOOK", name: "down", config: { url: `http://127.0.0.1:${port}/` } }, TEST_KEY_SECRET)).channel;
      const ids: string[] = [];
      for (const ch of [ok, down, ok]) ids.push((await sendTestNotification(db, admin, ch.id, settings)).deliveryId);
      const p1 = await listNotificationDeliveries(db, admin, { limit: 2 });
      expect(p1.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
      const p2 = await listNotificationDeliveries(db, admin, { limit: 2, cursor: p1.nextCursor });
      expect(p2).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
      expect((await listNotificationDeliveries(db, admin, { status: "DEAD" })).items.map((i) => i.id)).toEqual([ids[1]]);
      expect((await caught(listNotificationDeliveries(db, admin, { status: "LOST" }))).fields?.[0]?.path).toBe("status");
      expect((await caught(listNotificationDeliveries(db, (await orgWith()).admin, { cursor: ids[0] }))).fields?.[0]?.path).toBe("cursor");
    } finally {
      await receiver.close();
    }
  });
});
