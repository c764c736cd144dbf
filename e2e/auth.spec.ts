import { expect, request, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { closeDb, estateCounts, openBySeverity, SEVERITIES } from "./support/db.ts";
import { BASE_URL, USERS } from "./support/env.ts";
import { signInViaUi } from "./support/auth.ts";

test.afterAll(async () => {
  await closeDb();
});

test("a signed-out visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("admin signs in, sees the real overview numbers, and signs out", async ({ page }) => {
  const expected = await openBySeverity("acme");
  const counts = await estateCounts("acme");
  expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

  await signInViaUi(page, USERS.admin);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();

  const chart = page.getByRole("figure", { name: "Open findings by severity" });
  await expect(chart).toBeVisible();
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeAttached();

  for (const s of SEVERITIES) {
    await expect(page.getByTestId(`sev-${s}`), `open ${s} findings`).toHaveText(String(expected[s]));
  }
  await expect(page.getByTestId("open-total")).toHaveText(Object.values(expected).reduce((a, b) => a + b, 0).toLocaleString("en-US"));
  for (const [key, value] of Object.entries(counts)) {
    await expect(page.getByTestId(`count-${key}`), key).toHaveText(value.toLocaleString("en-US"));
  }
  await expect(page.getByTestId("score-value")).toHaveAttribute("title", /score = round/);
  await expect(page.getByTestId("worker-status")).toBeVisible();

  await page.getByTestId("user-menu").locator("summary").click();
  await expect(page.getByTestId("user-email")).toHaveText(USERS.admin);
  await expect(page.getByTestId("user-role")).toHaveText("Owner");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  // The session is really gone, not just hidden.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin/);
});

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await signInViaUi(page, USERS.admin, "definitely-not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

test("repeated failures for one account are rate limited with a distinct message", async ({ page }) => {
  const email = `locked-${randomBytes(4).toString("hex")}@example.com`;
  const api = await request.newContext({ baseURL: BASE_URL });
  // The per-account window allows 10 attempts; burn them through the same endpoint the form uses.
  for (let i = 0; i < 10; i++) {
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await api.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: "wrong-password", json: "true" } });
  }
  await api.dispose();
  await signInViaUi(page, email, "wrong-password");
  await expect(page.getByRole("alert").filter({ hasText: "Too many sign-in attempts" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

test("every dashboard section is reachable from the sidebar", async ({ page }) => {
  await signInViaUi(page, USERS.admin);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [name, testId] of [
    ["Clusters", "clusters-table"],
    ["Namespaces", "namespaces-table"],
    ["Workloads", "workloads-table"],
    ["Images", "images-table"],
  ] as const) {
    await nav.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page.getByTestId(testId)).toBeVisible();
  }
  await nav.getByRole("link", { name: "Findings", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Findings", level: 1 })).toBeVisible();
  await expect(page.getByTestId("findings-table")).toBeVisible();
  await nav.getByRole("link", { name: "Compliance", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Compliance", level: 1 })).toBeVisible();
  await expect(page.getByTestId("attack-matrix")).toBeVisible();
  await nav.getByRole("link", { name: "Runtime", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Runtime", level: 1 })).toBeVisible();
  await expect(page.getByTestId("runtime-table")).toBeVisible();
  await nav.getByRole("link", { name: "Policies", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Policies", level: 1 })).toBeVisible();
  await expect(page.getByTestId("policy-row-no-privileged")).toBeVisible();
  await nav.getByRole("link", { name: "Vulnerabilities", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Vulnerabilities", level: 1 })).toBeVisible();
  await expect(page.getByTestId("section-fix-first")).toBeVisible();
  await nav.getByRole("link", { name: "Exceptions", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Exceptions", level: 1 })).toBeVisible();
  await expect(page.getByTestId("exception-filters")).toBeVisible();
  await nav.getByRole("link", { name: "Enforcement", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Enforcement", level: 1 })).toBeVisible();
  await expect(page.getByTestId("bundle-version")).toBeVisible();
  await nav.getByRole("link", { name: "Connectors", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Connectors", level: 1 })).toBeVisible();
  await expect(page.getByTestId("token-form")).toBeVisible();
  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-table")).toBeVisible();
});

test("a viewer sees the overview but not the audit log or member management", async ({ page }) => {
  await signInViaUi(page, USERS.viewer);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/audit");
  await expect(page.getByTestId("forbidden")).toContainText("403");
  await expect(page.getByTestId("audit-table")).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByTestId("members-table")).toContainText(USERS.admin);
  await expect(page.getByTestId("invite-form")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
});

test("unknown pages get the styled not-found page", async ({ page }) => {
  const res = await page.goto("/definitely/not/here");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
