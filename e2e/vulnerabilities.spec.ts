import { createLogger, executeScanRun } from "@bulwark/core";
import { createDb } from "@bulwark/db";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomInt } from "node:crypto";
import { signInViaUi } from "./support/auth.ts";
import { closeDb, orgId, sql } from "./support/db.ts";
import { E2E_DATABASE_URL } from "./support/env.ts";

// Issue 6 end to end: the vulnerability page read-only for a viewer; an analyst's organization
// rescan with live progress up to SUCCEEDED; an analyst's exception request approved by an admin;
// the "matches nothing" flag on a scope that matches no finding.
//
// No worker runs during e2e (playwright.config.ts starts only the web app), so the spec plays the
// worker's part for the queued run: it marks it RUNNING with partial progress, as the worker's
// progress writes do, then executes it with core's executeScanRun, the function the worker's
// vuln.rescan job calls. The page is never reloaded: what it shows comes from its own polling.

const ANALYST = "analyst@bulwark.local";
const ADMIN = "admin@bulwark.local";
const VIEWER = "viewer@bulwark.local";

test.describe.configure({ mode: "serial" });

test.afterAll(async () => {
  await closeDb();
});

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInViaUi(page, email);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  return page;
}

test("a viewer sees fixes, risk, scans, schedule, feeds and advisories, without rescan or schedule controls", async ({ browser }) => {
  const acme = await orgId("acme");
  const page = await signedIn(browser, VIEWER);
  await page.getByRole("link", { name: "Vulnerabilities" }).click();
  await expect(page.getByRole("heading", { name: "Vulnerabilities", level: 1 })).toBeVisible();
  for (const id of ["fix-first", "risky-workloads", "scans", "schedule", "feeds"]) await expect(page.getByTestId(`section-${id}`)).toBeVisible();

  // Read-only: the controls are there but disabled, with the reason; the schedule has no editor.
  await expect(page.getByTestId("rescan-org")).toBeDisabled();
  await expect(page.getByTestId("rescan-disabled-reason")).toContainText("analyst role");
  await expect(page.getByTestId("schedule-readonly")).toBeVisible();
  await expect(page.getByTestId("schedule-input")).toHaveCount(0);
  const [org] = await sql<{ rescanCron: string }>(`SELECT "rescanCron" FROM "Organization" WHERE id = $1`, [acme]);
  await expect(page.getByTestId("schedule-cron")).toHaveText(org!.rescanCron);

  // The riskiest workload comes first, with its score.
  const [top] = await sql<{ name: string; riskScore: number }>(
    `SELECT name, "riskScore" FROM "Workload" WHERE "orgId" = $1 AND NOT deleted AND "riskScore" > 0 ORDER BY "riskScore" DESC, name ASC LIMIT 1`,
    [acme],
  );
  if (top) await expect(page.getByTestId(`risk-score-${top.name}`).first()).toHaveText(String(top.riskScore));

  // "Fix first" is computed (a table, or the empty state), grouped by package or by image in the URL.
  const fixFirst = page.getByTestId("section-fix-first");
  await expect(fixFirst.getByTestId("fix-leverage-table").or(fixFirst.getByTestId("fix-leverage-empty"))).toBeVisible();
  await page.getByTestId("fix-kind-image").click();
  await expect(page).toHaveURL(/fix=image/);
  await expect(page.getByTestId("fix-kind-image")).toHaveAttribute("aria-current", "page");
  await expect(fixFirst.getByTestId("fix-leverage-table").or(fixFirst.getByTestId("fix-leverage-empty"))).toHaveAttribute("data-kind", "image");

  // Advisories: the one with the most open findings here, with the count linking to the findings.
  const [adv] = await sql<{ externalId: string; open: string }>(
    `SELECT a."externalId", count(f.id) AS open FROM "Advisory" a
     JOIN "Finding" f ON f."orgId" = $1 AND f.type = 'VULNERABILITY' AND f.status = 'OPEN' AND (f."ruleId" = a."externalId" OR f."ruleId" = ANY(a.aliases))
     GROUP BY a."externalId" ORDER BY open DESC, a."externalId" LIMIT 1`,
    [acme],
  );
  test.skip(!adv, "the demo has no advisory with open findings");
  await page.goto(`/vulnerabilities/advisories?q=${encodeURIComponent(adv!.externalId)}`);
  const row = page.getByTestId(`advisory-row-${adv!.externalId}`);
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: adv!.externalId, exact: true }).click();
  await expect(page.getByRole("heading", { name: adv!.externalId, level: 1 })).toBeVisible();
  const open = Number(adv!.open);
  const link = page.getByTestId("advisory-open-findings").getByRole("link");
  await expect(link).toHaveText(`${open} open ${open === 1 ? "finding" : "findings"} in your organization`);
  await expect(link).toHaveAttribute("href", `/findings?rule=${encodeURIComponent(adv!.externalId)}`);
  await page.context().close();
});

test("an analyst starts an organization rescan and watches it run to SUCCEEDED without reloading", async ({ browser }) => {
  test.setTimeout(90_000);
  const acme = await orgId("acme");
  const total = Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM "Image" WHERE "orgId" = $1`, [acme]))[0]!.n);
  const before = new Date();
  const page = await signedIn(browser, ANALYST);
  await page.goto("/vulnerabilities");
  await page.getByTestId("rescan-org").click();
  await expect(page.getByTestId("rescan-started")).toBeVisible();

  const [run] = await sql<{ id: string; status: string }>(
    `SELECT id, status FROM "ScanRun" WHERE "orgId" = $1 AND kind = 'FULL' AND trigger = $2 AND "startedAt" >= $3 ORDER BY "startedAt" DESC LIMIT 1`,
    [acme, `user:${ANALYST}`, before],
  );
  expect(run?.status).toBe("QUEUED");
  const status = page.getByTestId(`run-status-${run!.id}`);
  await expect(status).toHaveAttribute("data-status", "QUEUED");
  await expect(page.getByTestId(`scan-run-row-${run!.id}`)).toContainText(ANALYST);

  // The worker picks it up and reports progress: the bar follows by polling.
  await sql(`UPDATE "ScanRun" SET status = 'RUNNING', total = $2, done = 1 WHERE id = $1`, [run!.id, total]);
  await expect(status).toHaveAttribute("data-status", "RUNNING");
  await expect(page.getByTestId(`run-progress-${run!.id}`)).toContainText(`1 / ${total} images`);
  await expect(status.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "1");

  const db = createDb(E2E_DATABASE_URL, { max: 2 });
  try {
    const done = await executeScanRun(db, run!.id, { logger: createLogger("e2e-worker", "warn") });
    expect(done?.status).toBe("SUCCEEDED");
  } finally {
    await db.$disconnect();
  }
  await expect(page.getByTestId(`run-status-${run!.id}`)).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 15_000 });
  await expect(page.getByTestId(`run-progress-${run!.id}`)).toContainText(`${total} / ${total} images`);
  await expect(page.getByTestId(`run-stats-${run!.id}`)).toContainText(`${total} images`);
  await page.context().close();
});

test("an admin edits the rescan schedule; a bad pattern is refused with the reason", async ({ browser }) => {
  const acme = await orgId("acme");
  const cronOf = async () => (await sql<{ rescanCron: string }>(`SELECT "rescanCron" FROM "Organization" WHERE id = $1`, [acme]))[0]!.rescanCron;
  const original = await cronOf();
  const admin = await signedIn(browser, ADMIN);
  await admin.goto("/vulnerabilities");
  const input = admin.getByTestId("schedule-input");
  await input.fill("not a cron");
  await admin.getByTestId("schedule-save").click();
  await expect(admin.getByTestId("schedule-error")).toContainText("cron pattern");
  expect(await cronOf()).toBe(original);

  const next = original === "0 */6 * * *" ? "0 3 * * 1" : "0 */6 * * *";
  await input.fill(next);
  await admin.getByTestId("schedule-save").click();
  await expect(admin.getByTestId("schedule-saved")).toBeVisible();
  await expect(admin.getByTestId("schedule-cron")).toHaveText(next);
  await expect(admin.getByTestId("schedule-description")).toHaveText(next === "0 */6 * * *" ? /Every 6 hours/ : /Every Monday at 03:00 UTC/);
  expect(await cronOf()).toBe(next);

  await admin.getByTestId("schedule-input").fill(original);
  await admin.getByTestId("schedule-save").click();
  await expect(admin.getByTestId("schedule-cron")).toHaveText(original);
  expect(await cronOf()).toBe(original);
  await admin.context().close();
});

test("an analyst requests an exception and an admin approves it, then revokes it", async ({ browser }) => {
  test.setTimeout(90_000);
  const acme = await orgId("acme");
  const [target] = await sql<{ ruleId: string; repo: string }>(
    `SELECT f."ruleId", i."registryHost" || '/' || i.repository AS repo FROM "Finding" f JOIN "Image" i ON i.id = f."imageId"
     WHERE f."orgId" = $1 AND f.type = 'VULNERABILITY' AND f.status = 'OPEN' AND f."ruleId" LIKE 'CVE-%'
     GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`,
    [acme],
  );
  test.skip(!target, "the demo has no open CVE finding on an image");

  const analyst = await signedIn(browser, ANALYST);
  await analyst.goto("/exceptions");
  await analyst.getByTestId("new-exception").click();
  await analyst.getByTestId("scope-advisory").fill(target!.ruleId);
  await analyst.getByTestId("scope-imageRepository").fill(target!.repo);
  await analyst.getByTestId("exception-reason").fill("e2e: the vulnerable code path is not reachable in this service");
  await analyst.getByTestId("exception-submit").click();
  await expect(analyst).toHaveURL(/\/exceptions\/[^/?]+\?requested=1$/);
  const id = new URL(analyst.url()).pathname.split("/").pop()!;
  await expect(analyst.getByTestId("exception-requested")).toBeVisible();
  await expect(analyst.getByTestId("exception-state")).toHaveText(/Awaiting approval/);
  await expect(analyst.getByTestId("exception-match-count")).not.toHaveText(/^0 /);
  await expect(analyst.getByTestId("approve-exception")).toHaveCount(0);
  await analyst.context().close();

  const admin = await signedIn(browser, ADMIN);
  await admin.goto("/exceptions?status=REQUESTED");
  const row = admin.getByTestId(`exception-row-${id}`);
  await expect(row).toContainText("Awaiting approval");
  await expect(row).toContainText(target!.ruleId);
  await row.getByRole("link").click();
  admin.on("dialog", (d) => void d.accept());
  await admin.getByTestId("decision-note").fill("Approved for the e2e test");
  await admin.getByTestId("approve-exception").click();
  await expect(admin.getByTestId("exception-state")).toHaveText(/Approved/);
  await expect(admin.getByTestId("decision-done")).toContainText("suppressed");
  const [suppressed] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Finding" WHERE "exceptionId" = $1 AND status = 'SUPPRESSED'`, [id]);
  expect(Number(suppressed!.n)).toBeGreaterThan(0);
  await expect(admin.getByTestId("exception-suppressed")).toHaveText(suppressed!.n);
  await expect(admin.getByTestId("history-exception-approved")).toContainText("Approved for the e2e test");

  // Put the demo back: revoking reopens what the exception suppressed.
  await admin.getByRole("button", { name: "Revoke" }).click();
  await expect(admin.getByTestId("exception-state")).toHaveText(/Revoked/);
  await expect.poll(async () => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM "Finding" WHERE "exceptionId" = $1 AND status = 'SUPPRESSED'`, [id]))[0]!.n)).toBe(0);
  await admin.context().close();
});

test("an exception whose scope matches nothing is flagged in the list and on its page", async ({ browser }) => {
  const cve = `CVE-2099-${randomInt(10_000, 99_999)}`;
  const analyst = await signedIn(browser, ANALYST);
  await analyst.goto("/exceptions/new");
  await analyst.getByLabel("False positive").check();
  await analyst.getByTestId("scope-advisory").fill(cve);
  await analyst.getByTestId("exception-reason").fill("e2e: an id that no finding carries");
  await analyst.getByTestId("exception-submit").click();
  await expect(analyst).toHaveURL(/\/exceptions\/[^/?]+\?requested=1$/);
  const id = new URL(analyst.url()).pathname.split("/").pop()!;
  await expect(analyst.getByTestId("exception-flags").getByTestId("flag-matches-nothing")).toHaveText(/Matches nothing/);
  await expect(analyst.getByTestId("exception-match-count")).toHaveText("0 findings");

  await analyst.goto("/exceptions?flag=unused");
  await expect(analyst.getByTestId(`exception-row-${id}`)).toContainText(cve);
  await expect(analyst.getByTestId(`flag-matches-nothing-${id}`)).toHaveText(/Matches nothing/);

  // The requester withdraws it, leaving the demo as it was.
  await analyst.goto(`/exceptions/${id}`);
  analyst.on("dialog", (d) => void d.accept());
  await analyst.getByRole("button", { name: "Withdraw request" }).click();
  await expect(analyst.getByTestId("exception-state")).toHaveText(/Revoked/);
  await analyst.context().close();
});
