import { defineConfig } from "@playwright/test";
import { BASE_URL, E2E_DATABASE_URL, E2E_MAX_BODY_BYTES, E2E_NEXTAUTH_SECRET, E2E_PORT, E2E_REDIS_URL } from "./e2e/support/env.ts";

// End-to-end tests drive the production build (`npm run build -w @bulwark/web` first) against the
// seeded e2e database, which `npm test` recreates before Playwright runs (see scripts/test.sh).
export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: BASE_URL,
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: "npm run start -w @bulwark/web",
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(E2E_PORT),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_URL: E2E_REDIS_URL,
      NEXTAUTH_URL: BASE_URL,
      NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
      BULWARK_MAX_BODY_BYTES: String(E2E_MAX_BODY_BYTES),
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      // SSO stays off in e2e whatever the calling shell has configured.
      OIDC_ISSUER: "",
      OIDC_CLIENT_ID: "",
      OIDC_CLIENT_SECRET: "",
    },
  },
});
