import { createServer, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptReport,
  authenticateToken,
  createApiTokenForOrg,
  createNotificationChannel,
  enqueue,
  enqueueDeltaRescan,
  type OrgContext,
  processReportJob,
  verifyWebhookSignature,
} from "@bulwark/core";
import { parseWorkerEnv } from "../src/env.ts";
import { npmAdvisory, startTestWorker, uid, waitFor } from "./helpers.ts";

// Falco reports through the real worker to a loopback webhook: a burst of identical events is one
// signed alert, and a channel that cannot be reached neither slows nor fails ingestion.

const KEY_SECRET = "bulwark-test-key-secret";
let w: Awaited<ReturnType<typeof startTestWorker>>;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.end("ok");
  });
});
let receiverUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/falco-alerts`;
  w = await startTestWorker("notify", { notifications: { keySecret: KEY_SECRET, dashboardUrl: "https://bulwark.example", attempts: 3, backoffMs: 50, timeoutMs: 2_000 } });
});
afterAll(async () => {
  await w.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function setup() {
  const org = await w.db.organization.create({ data: { slug: `ntf-${uid()}`, name: "Notify test" } });
  const admin = await w.db.user.create({ data: { email: `admin-${uid()}@test.local` } });
  await w.db.membership.create({ data: { orgId: org.id, userId: admin.id, role: "ADMIN" } });
  const adminCtx: OrgContext = { orgId: org.id, actor: { type: "user", userId: admin.id, email: admin.email, role: "ADMIN" } };
  const token = await createApiTokenForOrg(w.db, org.slug, { name: "falco", scopes: ["ingest"] }, "test");
  return { org, adminCtx, ingest: await authenticateToken(w.db, token.token, "ingest") };
}

/** `n` events of one aggregate (same rule, namespace, pod, image), each its own event (uuid, time). */
function shellEvents(n: number, pod: string) {
  const start = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => ({
    uuid: randomUUID(),
    output: `Notice A shell was spawned in a container with an attached terminal (user=root k8s.ns=shop k8s.pod=${pod} container=5892b41bcf46 shell=sh)`,
    priority: "Warning",
    rule: "Terminal shell in container",
    time: new Date(start + i * 100).toISOString(),
    tags: ["container", "mitre_execution", "T1059"],
    output_fields: { "container.id": "5892b41bcf46", "container.image.repository": "docker.io/library/nginx", "k8s.ns.name": "shop", "k8s.pod.name": pod, "proc.name": "sh", "user.name": "root" },
  }));
}

async function postFalco(ctx: OrgContext, events: unknown[]) {
  const accepted = await acceptReport(w.db, null, ctx, { kind: "FALCO", body: events, subject: null });
  await enqueue(w.worker.queue, processReportJob, { reportId: accepted.id }, { jobId: `report-${accepted.id}` });
  return accepted.id;
}

const processed = (id: string) =>
  waitFor(`report ${id}`, async () => {
    const r = await w.db.report.findUniqueOrThrow({ where: { id } });
    return r.status === "PROCESSED" ? r : undefined;
  });

describe("runtime alerts through the worker", () => {
  it("a burst of 50 identical Falco events, in one report and again in five more, sends exactly one signed alert", async () => {
    const { org, adminCtx, ingest } = await setup();
    const { channel, signingSecret } = await createNotificationChannel(w.db, adminCtx, { type: "WEBHOOK", name: "siem", config: { url: receiverUrl }, routing: { types: ["RUNTIME"] } }, KEY_SECRET);
    const pod = `web-${uid()}`;
    const first = await postFalco(ingest, shellEvents(50, pod));
    await processed(first);
    const more = await Promise.all(Array.from({ length: 5 }, () => postFalco(ingest, shellEvents(10, pod))));
    for (const id of more) await processed(id);

    const mine = () => received.filter((r) => (JSON.parse(r.body) as { organization: { slug: string } }).organization.slug === org.slug);
    await waitFor("the alert", async () => mine().length >= 1);
    // Other follow-up jobs (risk refresh, posture) may wait on purpose; the notify.* ones must be done.
    await waitFor("the notify jobs to finish", async () => (await w.worker.queue.getJobs(["waiting", "active", "delayed", "prioritized"])).every((j) => !j.name.startsWith("notify.")));
    await new Promise((r) => setTimeout(r, 300));
    expect(mine()).toHaveLength(1);
    const alert = mine()[0]!;
    expect(verifyWebhookSignature(signingSecret!, String(alert.headers["x-bulwark-timestamp"]), alert.body, String(alert.headers["x-bulwark-signature"]))).toBe(true);
    const finding = await w.db.finding.findFirstOrThrow({ where: { orgId: org.id, type: "RUNTIME" } });
    expect(JSON.parse(alert.body)).toMatchObject({ kind: "alert", reason: "created", finding: { id: finding.id, rule: "Terminal shell in container", namespace: "shop", url: `https://bulwark.example/findings/${finding.id}` } });
    expect(finding.occurrences).toBe(100);
    expect(await w.db.notificationDelivery.findMany({ where: { channelId: channel.id } })).toEqual([expect.objectContaining({ status: "DELIVERED", attempts: 1 })]);
  });

  it("an unreachable channel does not slow or fail ingestion; its delivery ends DEAD", async () => {
    const { org, adminCtx, ingest } = await setup();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { channel } = await createNotificationChannel(w.db, adminCtx, { type: "SLACK", name: "down", config: { webhookUrl: `http://127.0.0.1:${port}/services/x` } }, KEY_SECRET);

    const started = Date.now();
    const report = await processed(await postFalco(ingest, shellEvents(20, `api-${uid()}`)));
    expect(report.status).toBe("PROCESSED");
    expect(report.error).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    const dead = await waitFor("the dead delivery", async () => {
      const rows = await w.db.notificationDelivery.findMany({ where: { channelId: channel.id } });
      return rows[0]?.status === "DEAD" ? rows[0] : undefined;
    });
    expect(dead).toMatchObject({ attempts: 3, lastError: "connection refused", responseStatus: null });
    expect(await w.db.finding.count({ where: { orgId: org.id, type: "RUNTIME", status: "OPEN" } })).toBe(1);
  });
});

describe("vulnerability alerts from the advisory feed", () => {
  it("a critical advisory published after the image was stored alerts once; a high one stays on the dashboard", async () => {
    const { org, adminCtx, ingest } = await setup();
    await createNotificationChannel(w.db, adminCtx, { type: "WEBHOOK", name: "vulns", config: { url: receiverUrl }, routing: { types: ["VULNERABILITY"] } }, KEY_SECRET);
    const [crit, high] = [`crit-${uid()}`, `high-${uid()}`];
    const sbom = {
      bomFormat: "CycloneDX",
      specVersion: "1.5",
      version: 1,
      components: [crit, high].map((name) => ({ type: "library", name, version: "1.0.0", purl: `pkg:npm/${name}@1.0.0` })),
    };
    const accepted = await acceptReport(w.db, null, ingest, { kind: "SBOM", body: sbom, subject: `sha256:${uid().repeat(7).slice(0, 64).padEnd(64, "0")}` });
    await enqueue(w.worker.queue, processReportJob, { reportId: accepted.id }, { jobId: `report-${accepted.id}` });
    await processed(accepted.id);
    // Matched at ingestion against an advisory store that does not know these packages yet.
    await waitFor("the ingest match", () => w.db.scanRun.findFirst({ where: { orgId: org.id, kind: "INGEST", status: "SUCCEEDED" } }), 30_000);

    const [critical, highOne] = [await npmAdvisory(w.db, crit, { fixed: "9.0.0", severity: "CRITICAL" }), await npmAdvisory(w.db, high, { fixed: "9.0.0", severity: "HIGH" })];
    await enqueueDeltaRescan(w.worker.queue, [critical.id, highOne.id], "feed update");
    const findings = await waitFor("both matches", async () => {
      const rows = await w.db.finding.findMany({ where: { orgId: org.id, type: "VULNERABILITY", status: "OPEN" }, select: { id: true, ruleId: true, severity: true } });
      return rows.length === 2 ? rows : undefined;
    }, 30_000);
    const mine = () => received.filter((r) => (JSON.parse(r.body) as { organization: { slug: string } }).organization.slug === org.slug);
    await waitFor("the alert", async () => mine().length >= 1);
    await waitFor("the notify jobs to finish", async () => (await w.worker.queue.getJobs(["waiting", "active", "delayed", "prioritized"])).every((j) => !j.name.startsWith("notify.")));
    await new Promise((r) => setTimeout(r, 300));
    const criticalFinding = findings.find((f) => f.ruleId === critical.externalId)!;
    expect(criticalFinding.severity).toBe("CRITICAL");
    expect(mine()).toHaveLength(1);
    expect(JSON.parse(mine()[0]!.body)).toMatchObject({ kind: "alert", reason: "created", finding: { id: criticalFinding.id, severity: "CRITICAL", type: "VULNERABILITY", rule: critical.externalId, package: { name: crit, version: "1.0.0", fixedVersion: "9.0.0" } } });
  });
});

describe("worker env for notifications", () => {
  const base = { DATABASE_URL: "postgresql://bulwark@127.0.0.1:54329/bulwark", REDIS_URL: "redis://127.0.0.1:63799/0" };
  it("reads the key secret, dashboard URL and retry policy, and refuses bad values", () => {
    expect(parseWorkerEnv({ ...base, NEXTAUTH_URL: "https://bulwark.example", NEXTAUTH_SECRET: "s", BULWARK_NOTIFY_ATTEMPTS: "3", BULWARK_NOTIFY_BACKOFF_MS: "250" })).toMatchObject({
      NEXTAUTH_URL: "https://bulwark.example",
      NEXTAUTH_SECRET: "s",
      BULWARK_NOTIFY_ATTEMPTS: 3,
      BULWARK_NOTIFY_BACKOFF_MS: 250,
    });
    expect(() => parseWorkerEnv({ ...base, BULWARK_NOTIFY_ATTEMPTS: "0" })).toThrow(/BULWARK_NOTIFY_ATTEMPTS must be at least 1/);
    expect(() => parseWorkerEnv({ ...base, BULWARK_NOTIFY_BACKOFF_MS: "fast" })).toThrow(/BULWARK_NOTIFY_BACKOFF_MS/);
    expect(() => parseWorkerEnv({ ...base, NEXTAUTH_URL: "ftp://x" })).toThrow(/NEXTAUTH_URL/);
  });
});
