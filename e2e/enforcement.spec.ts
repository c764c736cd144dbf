import { createApiTokenForOrg } from "@bulwark/core";
import { createDb } from "@bulwark/db";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { signInViaUi } from "./support/auth.ts";
import { closeDb, sql } from "./support/db.ts";
import { BASE_URL, E2E_DATABASE_URL, USERS } from "./support/env.ts";

// Issue 5 end to end: an admin switches no-privileged to ENFORCE in the UI → the signed bundle's
// version goes up → a running reference enforcer (apps/enforcer, its own process) picks it up by
// long-poll and verifies it → a privileged Pod's AdmissionReview is denied → the decision, reported
// in a batch, shows up in the decisions browser.

const CLUSTER = "prod-eu-west-1";
const ENFORCER_PORT = 3197;
const ENFORCER = `http://127.0.0.1:${ENFORCER_PORT}`;
const POINT = `e2e-enforcer-${randomBytes(3).toString("hex")}`;

let api: APIRequestContext;
let token = "";
let enforcer: ChildProcess | undefined;
let stateDir = "";
let original = "";

const auth = () => ({ authorization: `Bearer ${token}` });

async function bundleVersion(): Promise<number> {
  const res = await api.get("/api/v1/enforcement/bundle", { headers: auth() });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { version: number }).version;
}

function privilegedPodReview(name: string) {
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: randomUUID(),
      kind: { group: "", version: "v1", kind: "Pod" },
      resource: { group: "", version: "v1", resource: "pods" },
      name,
      namespace: "payments",
      operation: "CREATE",
      userInfo: { username: "mallory@example.com", groups: ["system:authenticated"] },
      object: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "payments" },
        spec: { containers: [{ name: "shell", image: "ghcr.io/acme/debug:1.0", securityContext: { privileged: true } }] },
      },
      dryRun: false,
    },
  };
}

async function review(name: string): Promise<{ allowed: boolean; status?: { message?: string } }> {
  const res = await api.post(`${ENFORCER}/validate`, { data: privilegedPodReview(name) });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { response: { allowed: boolean; status?: { message?: string } } }).response;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  api = await request.newContext({ baseURL: BASE_URL });
  const db = createDb(E2E_DATABASE_URL, { max: 1 });
  try {
    token = (await createApiTokenForOrg(db, "acme", { name: POINT, scopes: ["enforcement"] }, "e2e")).token;
  } finally {
    await db.$disconnect();
  }
  const rows = await sql<{ enforcement: string }>(`SELECT p.enforcement FROM "Policy" p JOIN "Organization" o ON o.id = p."orgId" WHERE o.slug = 'acme' AND p.key = 'no-privileged'`);
  original = rows[0]?.enforcement ?? "WARN";
  const publicKey = ((await (await api.get("/api/v1/enforcement/public-key")).json()) as { publicKeyBase64: string }).publicKeyBase64;

  stateDir = mkdtempSync(path.join(tmpdir(), "bulwark-e2e-enforcer-"));
  enforcer = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../apps/enforcer/src/main.ts")], {
    env: {
      ...process.env,
      BULWARK_URL: BASE_URL,
      BULWARK_TOKEN: token,
      BULWARK_PUBLIC_KEY: publicKey,
      CLUSTER_NAME: CLUSTER,
      ENFORCER_NAME: POINT,
      FAILURE_POLICY: "Fail",
      STATE_DIR: stateDir,
      INSECURE_HTTP: "true",
      HOST: "127.0.0.1",
      PORT: String(ENFORCER_PORT),
      DECISION_FLUSH_MS: "200",
      BUNDLE_WAIT_SECONDS: "5",
      HEARTBEAT_INTERVAL_MS: "2000",
      SHUTDOWN_DELAY_MS: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await expect.poll(async () => (await api.get(`${ENFORCER}/readyz`).catch(() => null))?.status() ?? 0, { timeout: 30_000 }).toBe(200);
});

test.afterAll(async () => {
  enforcer?.kill("SIGTERM");
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  await api.dispose();
  await closeDb();
});

test("ENFORCE set in the UI reaches the enforcer, which denies a privileged pod; the decision is browsable", async ({ page }) => {
  test.setTimeout(90_000);
  // Before: the enforcer runs the current bundle, where no-privileged does not deny.
  expect(original).not.toBe("ENFORCE");
  await expect.poll(async () => (await review(`warmup-${randomBytes(2).toString("hex")}`)).allowed, { timeout: 20_000 }).toBe(true);
  const before = await bundleVersion();

  await signInViaUi(page, USERS.admin);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/policies");
  await page.getByTestId("enforcement-no-privileged").selectOption("ENFORCE");
  await expect.poll(async () => (await sql<{ enforcement: string }>(`SELECT p.enforcement FROM "Policy" p JOIN "Organization" o ON o.id = p."orgId" WHERE o.slug = 'acme' AND p.key = 'no-privileged'`))[0]?.enforcement).toBe("ENFORCE");

  // The signed bundle moves on, and the enforcer (long-polling) verifies and applies it.
  await expect.poll(bundleVersion, { timeout: 15_000 }).toBeGreaterThan(before);
  const pod = `shell-${randomBytes(3).toString("hex")}`;
  await expect.poll(async () => (await review(pod)).allowed, { timeout: 30_000 }).toBe(false);
  expect((await review(pod)).status?.message).toContain("no-privileged");

  // The decision arrives in a batch and is listed for the cluster, denied, naming the policy.
  await page.goto(`/enforcement/decisions?cluster=${CLUSTER}`);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("decisions-table").getByText(pod).count();
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  const row = page.getByTestId("decisions-table").locator("tr", { hasText: pod }).first();
  await expect(row).toContainText("Denied");
  await expect(row).toContainText("no-privileged");

  // The enforcement point reported in with the bundle it runs.
  await page.goto("/enforcement");
  await expect(page.getByTestId(`point-row-${POINT}`)).toBeVisible();

  // Put the demo back as it was.
  await page.goto("/policies");
  await page.getByTestId("enforcement-no-privileged").selectOption(original);
  await expect.poll(async () => (await sql<{ enforcement: string }>(`SELECT p.enforcement FROM "Policy" p JOIN "Organization" o ON o.id = p."orgId" WHERE o.slug = 'acme' AND p.key = 'no-privileged'`))[0]?.enforcement).toBe(original);
});
