import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, signInViaUi } from "./support/auth.ts";
import { closeDb, openBySeverity, sql } from "./support/db.ts";
import { USERS } from "./support/env.ts";

test.afterAll(async () => {
  await closeDb();
});

const NEW_PASSWORD = "a-long-enough-password";

async function roleOf(email: string, slug: string): Promise<string | null> {
  const rows = await sql<{ role: string }>(
    `SELECT m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Organization" o ON o.id = m."orgId" WHERE u.email = $1 AND o.slug = $2`,
    [email, slug],
  );
  return rows[0]?.role ?? null;
}

test("an admin invites a member from Settings; the invitee joins, then is promoted and removed", async ({ page, browser }) => {
  const email = `new-${randomBytes(4).toString("hex")}@example.com`;

  await signInViaUi(page, USERS.admin);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/settings");
  const form = page.getByTestId("invite-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("ANALYST");
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/bwi_/);
  await expect(page.getByTestId("invitations-table")).toContainText(email);

  // The invitee, in a separate browser session.
  const invitee = await browser.newContext();
  const p2 = await invitee.newPage();
  await p2.goto(new URL(link).pathname);
  await expect(p2.getByTestId("invite-org")).toHaveText("Acme Corp");
  await expect(p2.getByTestId("invite-role")).toHaveText("Analyst");
  await expect(p2.getByTestId("invite-email")).toHaveText(email);
  await p2.getByLabel("Your name").fill("Nina New");
  await p2.getByLabel("Choose a password").fill(NEW_PASSWORD);
  await p2.getByRole("button", { name: "Accept invitation" }).click();
  await expect(p2).toHaveURL(/\/signin\?invited=1/);
  await expect(p2.getByText("Invitation accepted")).toBeVisible();
  await signInViaUi(p2, email, NEW_PASSWORD);
  await expect(p2.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await p2.getByTestId("user-menu").locator("summary").click();
  await expect(p2.getByTestId("user-role")).toHaveText("Analyst");

  // A used link is dead.
  await p2.goto(new URL(link).pathname);
  await expect(p2.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();
  await invitee.close();

  // Promote, then remove, from the members table.
  await page.goto("/settings");
  const row = page.getByTestId("members-table").getByRole("row").filter({ hasText: email });
  await row.getByLabel(`Role for ${email}`).selectOption("ADMIN");
  await expect.poll(() => roleOf(email, "acme")).toBe("ADMIN");
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Remove" }).click();
  await expect.poll(() => roleOf(email, "acme")).toBeNull();
  await expect(page.getByTestId("members-table")).not.toContainText(email);

  const audit = await sql<{ action: string }>(
    `SELECT action FROM "AuditLog" WHERE metadata->>'email' = $1 ORDER BY "createdAt"`,
    [email],
  );
  expect(audit.map((a) => a.action)).toEqual(["member.invited", "member.joined", "member.role_changed", "member.removed"]);
});

test("a member of two organizations switches between them", async ({ page }) => {
  const email = `both-${randomBytes(4).toString("hex")}@example.com`;
  // Join acme (new account) and globex (existing account, no password needed) through the API.
  for (const [inviter, first] of [
    [USERS.admin, true],
    [USERS.globexAdmin, false],
  ] as const) {
    const api = await apiAs(inviter);
    const inv = await api.post("/api/v1/members/invitations", { data: { email, role: "VIEWER" } });
    expect(inv.status(), await inv.text()).toBe(201);
    const token = new URL(((await inv.json()) as { acceptUrl: string }).acceptUrl).pathname.split("/").pop();
    const accepted = await api.post("/api/v1/invitations/accept", { data: first ? { token, password: NEW_PASSWORD } : { token } });
    expect(accepted.status(), await accepted.text()).toBe(200);
    await api.dispose();
  }

  await signInViaUi(page, email, NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  const switcher = page.getByLabel("Organization");
  await expect(switcher).toBeVisible();
  const [acme, globex] = await Promise.all([openBySeverity("acme"), openBySeverity("globex")]);
  const [globexOrg] = await sql<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = 'globex'`);
  // With no preference yet, the first organization joined is active.
  for (const [sev, n] of Object.entries(acme)) await expect(page.getByTestId(`sev-${sev}`)).toHaveText(String(n));

  await switcher.selectOption(globexOrg!.id);
  await expect(switcher).toHaveValue(globexOrg!.id);
  for (const [sev, n] of Object.entries(globex)) await expect(page.getByTestId(`sev-${sev}`)).toHaveText(String(n));
  // The choice sticks across navigations (it lives in the httpOnly bulwark-org cookie).
  await page.reload();
  await expect(switcher).toHaveValue(globexOrg!.id);
  await expect(page.getByTestId("sev-HIGH")).toHaveText(String(globex.HIGH));
  const cookie = (await page.context().cookies()).find((c) => c.name === "bulwark-org");
  expect(cookie?.httpOnly).toBe(true);
});
