import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInViaUi } from "./support/auth.ts";
import { closeDb, orgId, sql } from "./support/db.ts";

// Every dashboard page, in the light and the dark theme, free of serious WCAG 2.1 AA violations, with
// a full-page screenshot attached. One test per page and theme, so a slow page cannot starve the
// others of time and a failure names its page; the tests are not serial, so one page's violations
// do not hide the next page's.

const ADMIN = "admin@bulwark.local";

type Theme = "light" | "dark";
type Target = string | (() => Promise<string | null>);

async function firstId(query: string): Promise<string | null> {
  const [row] = await sql<{ id: string }>(query, [await orgId("acme")]);
  return row?.id ?? null;
}

const PAGES: Array<[string, Target]> = [
  ["overview", "/"],
  ["findings", "/findings"],
  ["clusters", "/clusters"],
  ["namespaces", "/namespaces"],
  ["workloads", "/workloads"],
  ["images", "/images"],
  ["compliance", "/compliance"],
  ["runtime", "/runtime"],
  ["runtime-baselines", "/runtime/baselines"],
  ["runtime-settings", "/runtime/settings"],
  ["notifications", "/settings/notifications"],
  ["deliveries", "/settings/notifications/deliveries"],
  ["response-actions", "/enforcement/actions"],
  ["runtime-detail", async () => pathTo("/runtime", await firstId(`SELECT id FROM "Finding" WHERE "orgId" = $1 AND type = 'RUNTIME' ORDER BY occurrences DESC, id LIMIT 1`))],
  ["baseline-detail", async () => pathTo("/runtime/baselines", await firstId(`SELECT id FROM "ProcessBaseline" WHERE "orgId" = $1 ORDER BY id LIMIT 1`))],
  ["workload-detail", async () => pathTo("/workloads", await firstId(`SELECT id FROM "Workload" WHERE "orgId" = $1 AND NOT deleted ORDER BY "riskScore" DESC, id LIMIT 1`))],
  ["image-detail", async () => pathTo("/images", await firstId(`SELECT "imageId" AS id FROM "Container" WHERE "orgId" = $1 AND "imageId" IS NOT NULL ORDER BY id LIMIT 1`))],
  ["cluster-detail", async () => pathTo("/clusters", await firstId(`SELECT id FROM "Cluster" WHERE "orgId" = $1 ORDER BY name LIMIT 1`))],
  ["finding-detail", async () => pathTo("/findings", await firstId(`SELECT id FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' ORDER BY severity, id LIMIT 1`))],
];

function pathTo(base: string, id: string | null): string | null {
  return id ? `${base}/${id}` : null;
}

// One signed-in page per theme, reused by that theme's tests while the worker lives; a worker
// restarted after a failure signs in again.
const sessions = new Map<Theme, Promise<Page>>();
function signedIn(browser: Browser, theme: Theme): Promise<Page> {
  let session = sessions.get(theme);
  if (!session) {
    session = (async () => {
      const page = await (await browser.newContext({ colorScheme: theme })).newPage();
      await signInViaUi(page, ADMIN);
      await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
      return page;
    })();
    sessions.set(theme, session);
  }
  return session;
}

test.afterAll(async () => {
  await closeDb();
});

for (const theme of ["light", "dark"] as const) {
  for (const [name, target] of PAGES) {
    test(`${name} has no serious accessibility violations in the ${theme} theme`, async ({ browser }, testInfo) => {
      test.setTimeout(60_000);
      const path = typeof target === "string" ? target : await target();
      // The demo seed always has these rows; a missing one is a seed regression, not a skip.
      expect(path, `no ${name} in the demo data`).not.toBeNull();
      const page = await signedIn(browser, theme);
      const res = await page.goto(path!);
      expect(res?.status(), path!).toBe(200);
      await expect(page.locator("h1")).toBeVisible();
      await page.waitForLoadState("networkidle");
      const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const file = testInfo.outputPath(`${name}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${name}-${theme}`, { path: file, contentType: "image/png" });
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`), `${path} (${theme})`).toEqual([]);
    });
  }
}
