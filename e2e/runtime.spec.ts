import { createApiTokenForOrg } from "@bulwark/core";
import { createDb } from "@bulwark/db";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { signInViaUi } from "./support/auth.ts";
import { closeDb, sql } from "./support/db.ts";
import { BASE_URL, E2E_DATABASE_URL, E2E_NEXTAUTH_SECRET, E2E_REDIS_URL, USERS } from "./support/env.ts";

// Issue 8 end to end, with the real worker in its own process: an admin adds a webhook channel in the
// UI and test-sends to a receiver on loopback; a burst of identical Falco events posted to the API
// appears on the open Runtime page without a reload, as one aggregate whose raw events are browsable;
// the receiver gets exactly one signed alert for it; the delivery log shows it delivered.

const RUN = randomBytes(3).toString("hex");
const RULE = `E2E shell in container ${RUN}`;
const CHANNEL = `e2e-hook-${RUN}`;
const BURST = 12;

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}

let api: APIRequestContext;
let token = "";
let worker: ChildProcess | undefined;
let receiver: http.Server | undefined;
let hookUrl = "";
const received: Received[] = [];

function falcoEvent(i: number) {
  const time = new Date(Date.now() - (BURST - i) * 1000).toISOString();
  return {
    uuid: randomUUID(),
    output: `${time}: Warning A shell was spawned in a container (user=root shell=bash k8s.ns=payments k8s.pod=payments-api-7d59548d75-wh44s seq=${i})`,
    priority: "Warning",
    rule: RULE,
    time,
    source: "syscall",
    hostname: "node-1",
    tags: ["container", "shell", "mitre_execution", "T1059"],
    output_fields: {
      "k8s.cluster.name": "prod-eu-west-1",
      "k8s.ns.name": "payments",
      "k8s.pod.name": "payments-api-7d59548d75-wh44s",
      "container.name": "api",
      "container.image.repository": "ghcr.io/acme/payments-api",
      "container.image.tag": "2.4.1",
      "proc.name": "bash",
      "proc.exepath": "/bin/bash",
      "proc.cmdline": "bash -i",
      "user.name": "root",
    },
  };
}

const verify = (r: Received, secret: string) =>
  r.headers["x-bulwark-signature"] === `sha256=${createHmac("sha256", secret).update(`${String(r.headers["x-bulwark-timestamp"])}.${r.body}`).digest("hex")}`;

const alertsFor = (rule: string) => received.filter((r) => r.body.includes(`"kind":"alert"`) && r.body.includes(rule));

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  api = await request.newContext({ baseURL: BASE_URL });
  const db = createDb(E2E_DATABASE_URL, { max: 1 });
  try {
    token = (await createApiTokenForOrg(db, "acme", { name: `falcosidekick-${RUN}`, scopes: ["ingest"] }, "e2e")).token;
  } finally {
    await db.$disconnect();
  }
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver!.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/bulwark`;
  // The worker as `npm start` runs it, on the e2e database and queue; channel secrets are sealed by the
  // web app under NEXTAUTH_SECRET (no BULWARK_KEY_SECRET in e2e), so the worker gets the same.
  worker = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../apps/worker/src/main.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_URL: E2E_REDIS_URL,
      NEXTAUTH_URL: BASE_URL,
      NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
      BULWARK_KEY_SECRET: "",
      BULWARK_NOTIFY_BACKOFF_MS: "200",
      BULWARK_ADVISORY_SOURCES: "",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
});

test.afterAll(async () => {
  worker?.kill("SIGTERM");
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await api.dispose();
  await closeDb();
});

test("a webhook channel alerts once, signed, for a burst of Falco events that shows up live on the Runtime page", async ({ page }) => {
  test.setTimeout(120_000);
  await signInViaUi(page, USERS.admin);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();

  // The channel, added in the UI: webhook to the loopback receiver, runtime findings only.
  await page.goto("/settings/notifications");
  const form = page.getByTestId("channel-form");
  await form.getByLabel("Name").fill(CHANNEL);
  await form.getByLabel("Type").selectOption("WEBHOOK");
  await form.getByLabel("URL").fill(hookUrl);
  await form.getByRole("checkbox", { name: "RUNTIME" }).check();
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("channel-saved")).toBeVisible();
  const secret = (await page.getByTestId("signing-secret").textContent())?.trim() ?? "";
  expect(secret.length).toBeGreaterThanOrEqual(32);

  // Test-send: delivered at once, signed with the secret shown once.
  await page.getByRole("button", { name: `Send test to ${CHANNEL}` }).click();
  await expect(page.getByTestId("test-outcome")).toContainText("Delivered");
  const test0 = received.find((r) => r.body.includes(`"kind":"test"`));
  expect(test0, "the receiver got the test notification").toBeTruthy();
  expect(verify(test0!, secret)).toBe(true);

  // The Runtime page stays open while the events arrive.
  await page.goto("/runtime");
  await expect(page.getByTestId("runtime-live")).toBeVisible();
  const startUrl = page.url();
  const res = await api.post("/api/v1/events/falco", { headers: { authorization: `Bearer ${token}` }, data: Array.from({ length: BURST }, (_, i) => falcoEvent(i)) });
  expect(res.status(), await res.text()).toBe(202);
  // A second request with more of the same aggregate: still one finding, still one alert.
  const again = await api.post("/api/v1/events/falco", { headers: { authorization: `Bearer ${token}` }, data: falcoEvent(BURST) });
  expect(again.status()).toBe(202);

  const row = page.getByTestId("runtime-row").filter({ hasText: RULE });
  await expect(row).toBeVisible({ timeout: 45_000 });
  expect(page.url()).toBe(startUrl);
  await expect(row.getByRole("cell", { name: String(BURST + 1), exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText("T1059");
  await expect(row).toContainText("payments-api");

  // Exactly one alert for the aggregate, signed, naming the rule and the event count at routing time.
  await expect.poll(() => alertsFor(RULE).length, { timeout: 30_000 }).toBe(1);
  await page.waitForTimeout(1_500);
  const alerts = alertsFor(RULE);
  expect(alerts).toHaveLength(1);
  expect(verify(alerts[0]!, secret)).toBe(true);
  const alert = JSON.parse(alerts[0]!.body) as { reason: string; finding: { rule: string; severity: string; type: string; mitre: string[] } };
  expect(alert).toMatchObject({ reason: "created", finding: { rule: RULE, type: "RUNTIME", severity: "MEDIUM" } });
  expect(alert.finding.mitre).toContain("T1059");

  const [stored] = await sql<{ id: string; occurrences: number; workloadId: string | null }>(
    `SELECT f.id, f.occurrences, f."workloadId" FROM "Finding" f JOIN "Organization" o ON o.id = f."orgId" WHERE o.slug = 'acme' AND f."ruleId" = $1`,
    [RULE],
  );
  expect(stored).toMatchObject({ occurrences: BURST + 1 });
  expect(stored!.workloadId, "the event's pod resolved to the seeded payments-api Deployment").not.toBeNull();

  // The raw events behind the aggregate.
  await row.getByRole("link", { name: new RegExp(RULE) }).click();
  await expect(page).toHaveURL(new RegExp(`/runtime/${stored!.id}`));
  await expect(page.getByTestId("runtime-event")).toHaveCount(BURST + 1);
  await expect(page.getByTestId("runtime-workload-link")).toBeVisible();
  await page.getByTestId("runtime-event").first().locator("summary").first().click();
  await expect(page.getByTestId("runtime-event-fields").first()).toContainText("/bin/bash");

  // The delivery log: the test-send and the alert, both delivered.
  await page.goto("/settings/notifications/deliveries");
  await expect(page.getByTestId("delivery-row").filter({ hasText: CHANNEL }).filter({ hasText: RULE })).toHaveAttribute("data-status", "DELIVERED");
});

test("a viewer sees runtime findings but cannot manage channels", async ({ page }) => {
  await signInViaUi(page, USERS.viewer);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/runtime");
  await expect(page.getByTestId("runtime-row").filter({ hasText: RULE })).toBeVisible();
  await page.goto("/settings/notifications");
  await expect(page.getByTestId("channel-form")).toHaveCount(0);
  const viewer = await request.newContext({ baseURL: BASE_URL });
  try {
    const res = await viewer.get("/api/v1/notification-channels");
    expect(res.status()).toBe(401);
  } finally {
    await viewer.dispose();
  }
});
