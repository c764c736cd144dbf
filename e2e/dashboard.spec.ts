import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInViaUi } from "./support/auth.ts";
import { closeDb, orgId, sql } from "./support/db.ts";

// Issue 7 end to end over the seeded demo: the overview's numbers against the database, a click on
// the severity chart landing on the matching findings, filters surviving a reload, the CSV export
// equal to the table, and triage allowed to an analyst and not to a viewer. The accessibility sweep
// of every page lives in a11y.spec.ts.

const ADMIN = "admin@bulwark.local";
const ANALYST = "analyst@bulwark.local";
const VIEWER = "viewer@bulwark.local";

test.describe.configure({ mode: "serial" });
test.afterAll(async () => {
  await closeDb();
});

async function signedIn(browser: Browser, email: string, colorScheme: "light" | "dark" = "light"): Promise<Page> {
  const page = await (await browser.newContext({ colorScheme })).newPage();
  await signInViaUi(page, email);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  return page;
}

const fmt = (n: number) => n.toLocaleString("en-US");

async function openCounts(acme: string) {
  const bySeverity = await sql<{ severity: string; n: string }>(`SELECT severity, count(*) AS n FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' GROUP BY 1`, [acme]);
  const byType = await sql<{ type: string; n: string }>(`SELECT type, count(*) AS n FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' GROUP BY 1`, [acme]);
  return { severity: new Map(bySeverity.map((r) => [r.severity, Number(r.n)])), type: new Map(byType.map((r) => [r.type, Number(r.n)])) };
}

test("the overview's numbers equal the database's counts, and the severity chart clicks through to the matching findings", async ({ browser }) => {
  const acme = await orgId("acme");
  const page = await signedIn(browser, ADMIN);
  const counts = await openCounts(acme);
  const total = [...counts.severity.values()].reduce((a, b) => a + b, 0);
  await expect(page.getByTestId("open-total")).toHaveText(fmt(total));
  for (const s of ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]) await expect(page.getByTestId(`sev-${s}`)).toHaveText(fmt(counts.severity.get(s) ?? 0));
  for (const t of ["VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE", "RUNTIME", "POLICY_VIOLATION"]) await expect(page.getByTestId(`type-${t}`)).toHaveText(fmt(counts.type.get(t) ?? 0));
  const [entities] = await sql<{ clusters: string; namespaces: string; workloads: string; images: string }>(
    `SELECT (SELECT count(*) FROM "Cluster" WHERE "orgId" = $1) AS clusters, (SELECT count(*) FROM "Namespace" WHERE "orgId" = $1 AND "deletedAt" IS NULL) AS namespaces,
            (SELECT count(*) FROM "Workload" WHERE "orgId" = $1 AND NOT deleted) AS workloads, (SELECT count(*) FROM "Image" WHERE "orgId" = $1) AS images`,
    [acme],
  );
  for (const k of ["clusters", "namespaces", "workloads", "images"] as const) await expect(page.getByTestId(`count-${k}`)).toHaveText(fmt(Number(entities![k])));
  const [top] = await sql<{ name: string }>(`SELECT name FROM "Workload" WHERE "orgId" = $1 AND NOT deleted AND "riskScore" > 0 ORDER BY "riskScore" DESC, name, id LIMIT 1`, [acme]);
  if (top) await expect(page.getByTestId("riskiest-row").first()).toContainText(top.name);
  await expect(page.getByTestId("trend-chart")).toBeVisible();

  // The HIGH bar (second) of the chart.
  const high = counts.severity.get("HIGH") ?? 0;
  expect(high).toBeGreaterThan(0);
  await page.locator('[data-testid="severity-chart"] .recharts-bar-rectangle').nth(1).click();
  await expect(page).toHaveURL(/\/findings\?severity=HIGH$/);
  await expect(page.getByTestId("findings-total")).toContainText(fmt(high));
  const rows = page.getByTestId("finding-row");
  await expect(rows.first()).toBeVisible();
  for (const sev of await rows.locator("[data-severity]").evaluateAll((els) => els.map((e) => e.getAttribute("data-severity")))) expect(sev).toBe("HIGH");
});

test("filters live in the URL and survive a reload; the CSV export holds exactly the rows of the table", async ({ browser }) => {
  const acme = await orgId("acme");
  const page = await signedIn(browser, ADMIN);
  await page.goto("/findings");
  await page.getByLabel("Severity").selectOption("CRITICAL");
  await page.getByLabel("Type").selectOption("VULNERABILITY");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/severity=CRITICAL/);
  await expect(page).toHaveURL(/type=VULNERABILITY/);
  await page.reload();
  await expect(page.getByLabel("Severity")).toHaveValue("CRITICAL");
  await expect(page.getByLabel("Type")).toHaveValue("VULNERABILITY");
  const [expected] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' AND severity = 'CRITICAL' AND type = 'VULNERABILITY'`, [acme]);
  await expect(page.getByTestId("findings-total")).toContainText(fmt(Number(expected!.n)));

  const tableIds = await page.getByTestId("finding-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-finding-id")));
  expect(tableIds.length).toBe(Math.min(Number(expected!.n), tableIds.length));
  const href = await page.getByTestId("findings-export").getAttribute("href");
  expect(href).toContain("severity=CRITICAL");
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  const lines = (await res.text()).trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const idCol = header.indexOf("id");
  expect(idCol).toBeGreaterThanOrEqual(0);
  expect(lines.length - 1).toBe(Number(expected!.n));
  const csvIds = lines.slice(1).map((l) => l.split(",")[idCol]);
  // The table's first page is the CSV's first rows, in the same order.
  expect(csvIds.slice(0, tableIds.length)).toEqual(tableIds);
});

test("an analyst can request an exception from the findings table; a viewer cannot", async ({ browser }) => {
  const acme = await orgId("acme");
  const viewer = await signedIn(browser, VIEWER);
  await viewer.goto("/findings");
  await expect(viewer.getByTestId("findings-table")).toBeVisible();
  await expect(viewer.getByTestId("triage-form")).toHaveCount(0);
  const [some] = await sql<{ id: string }>(`SELECT id FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' ORDER BY id LIMIT 1`, [acme]);
  const denied = await viewer.request.post("/api/v1/findings/triage", { data: { ids: [some!.id], action: "request-exception", reason: "viewer tries" } });
  expect(denied.status()).toBe(403);

  const analyst = await signedIn(browser, ANALYST);
  await analyst.goto("/findings?type=MISCONFIGURATION");
  const form = analyst.getByTestId("triage-form");
  await expect(form).toBeVisible();
  const row = analyst.getByTestId("finding-row").first();
  const findingId = await row.getAttribute("data-finding-id");
  await row.getByRole("checkbox").check();
  const reason = `accepted in e2e ${Date.now()}`;
  await form.getByLabel("Action").selectOption("request-exception");
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: /apply/i }).click();
  await expect(analyst.getByRole("status")).toContainText(/exception/i);
  const created = await sql<{ status: string; email: string }>(
    `SELECT e.status, u.email FROM "Exception" e JOIN "User" u ON u.id = e."requestedById" WHERE e."orgId" = $1 AND e.reason = $2`,
    [acme, reason],
  );
  expect(created).toEqual([{ status: "REQUESTED", email: ANALYST }]);
  expect(findingId).toBeTruthy();
});
