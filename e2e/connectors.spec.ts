import { createApiTokenForOrg } from "@bulwark/core";
import { createDb } from "@bulwark/db";
import { expect, request, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { signInViaUi } from "./support/auth.ts";
import { closeDb, sql } from "./support/db.ts";
import { BASE_URL, E2E_DATABASE_URL, USERS } from "./support/env.ts";

// The connector path end to end: a token made in the UI, real Trivy output posted with it, the
// status URL, idempotent retries, bad input as problem+json, scopes and revocation.

// A Trivy golden file from Trivy's own test suite (Apache-2.0), as used by the core parser tests.
const TRIVY = readFileSync(new URL("../packages/core/src/ingest/__fixtures__/trivy/alpine-310.json.golden", import.meta.url), "utf8");

interface Accepted {
  id: string;
  status: string;
  statusUrl: string;
}

async function expectProblem(res: APIResponse, status: number, code?: string) {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const body = (await res.json()) as { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  return body;
}

let api: APIRequestContext;
let token = "";
let tokenName = "";

const auth = (t: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${t}`, "content-type": "application/json", ...extra });

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  api = await request.newContext({ baseURL: BASE_URL });
});

test.afterAll(async () => {
  await api.dispose();
  await closeDb();
});

test("an admin creates an ingest token in the UI and sees it exactly once", async ({ page }) => {
  tokenName = `e2e-agent-${randomBytes(3).toString("hex")}`;
  await signInViaUi(page, USERS.admin);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/connectors");
  const form = page.getByTestId("token-form");
  await form.getByLabel("Name").fill(tokenName);
  await expect(form.getByRole("checkbox", { name: /ingest/ })).toBeChecked();
  await form.getByRole("button", { name: "Create token" }).click();

  token = await page.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^bwk_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("snippet-curl-inventory")).toContainText(`Bearer ${token}`);
  await expect(page.getByTestId("snippet-curl-trivy")).toContainText("/api/v1/reports/trivy");
  await expect(page.getByTestId("snippet-cronjob")).toContainText("kind: CronJob");
  await expect(page.getByTestId("snippet-cli")).toContainText("bulwark connect inventory --cluster");
  const row = page.getByTestId("tokens-table").getByRole("row").filter({ hasText: tokenName });
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row).toContainText("Active");

  // Shown once: after a reload only the prefix remains, and the database holds only a hash.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);
  const stored = await sql<{ tokenHash: string }>(`SELECT "tokenHash" FROM "ApiToken" WHERE name = $1`, [tokenName]);
  expect(stored).toHaveLength(1);
  expect(stored[0]!.tokenHash).not.toContain(token.slice(4));
});

test("a Trivy report is accepted with 202 and its status URL answers", async () => {
  const res = await api.post("/api/v1/reports/trivy", { headers: auth(token), data: Buffer.from(TRIVY) });
  expect(res.status(), await res.text()).toBe(202);
  const body = (await res.json()) as Accepted;
  expect(body.statusUrl).toBe(`/api/v1/reports/${body.id}`);
  expect(res.headers()["location"]).toBe(body.statusUrl);
  expect(["PENDING", "PROCESSING", "PROCESSED"]).toContain(body.status);

  const status = await api.get(body.statusUrl, { headers: { authorization: `Bearer ${token}` } });
  expect(status.status(), await status.text()).toBe(200);
  const report = (await status.json()) as { id: string; kind: string; status: string; counts: Record<string, number>; bodyBytes: number; receivedAt: string };
  expect(report).toMatchObject({ id: body.id, kind: "TRIVY" });
  expect(["PENDING", "PROCESSING", "PROCESSED"]).toContain(report.status);
  expect(report.bodyBytes).toBeGreaterThan(1000);
  expect(typeof report.counts).toBe("object");
  // The last-used time shows up on the token.
  const used = await sql<{ lastUsedAt: Date | null }>(`SELECT "lastUsedAt" FROM "ApiToken" WHERE name = $1`, [tokenName]);
  expect(used[0]?.lastUsedAt).not.toBeNull();
});

test("a gzip body is accepted, and a retry with the same Idempotency-Key returns the same report", async () => {
  const key = `e2e-${randomBytes(6).toString("hex")}`;
  const send = () => api.post("/api/v1/reports/trivy", { headers: auth(token, { "idempotency-key": key, "content-encoding": "gzip" }), data: gzipSync(TRIVY) });
  const first = await send();
  expect(first.status(), await first.text()).toBe(202);
  const second = await send();
  expect(second.status()).toBe(202);
  const a = (await first.json()) as Accepted;
  const b = (await second.json()) as Accepted;
  expect(b.id).toBe(a.id);
  expect(b.statusUrl).toBe(a.statusUrl);
  const rows = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Report" WHERE "idempotencyKey" = $1`, [key]);
  expect(Number(rows[0]!.n)).toBe(1);
});

test("bad input is a 4xx problem naming what is wrong, and nothing is stored", async () => {
  const before = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Report"`);
  await expectProblem(await api.post("/api/v1/reports/trivy", { headers: auth(token, { "content-type": "text/plain" }), data: TRIVY }), 415, "UNSUPPORTED_MEDIA_TYPE");
  const malformed = await expectProblem(await api.post("/api/v1/reports/trivy", { headers: auth(token), data: Buffer.from('{"SchemaVersion": 2, "Results": [') }), 400, "BAD_REQUEST");
  expect(malformed.detail).toBe("Malformed JSON");
  const v1 = { ...(JSON.parse(TRIVY) as Record<string, unknown>), SchemaVersion: 1 };
  const wrongVersion = await expectProblem(await api.post("/api/v1/reports/trivy", { headers: auth(token), data: v1 }), 400, "VALIDATION_FAILED");
  expect(wrongVersion.errors?.map((e) => e.path)).toContain("SchemaVersion");
  const badName = await expectProblem(await api.put("/api/v1/clusters/Not_A_Name/inventory", { headers: auth(token), data: { apiVersion: "v1", kind: "List", items: [] } }), 400, "VALIDATION_FAILED");
  expect(badName.errors?.[0]?.path).toBe("name");
  const noDigest = await expectProblem(await api.post("/api/v1/sbom", { headers: auth(token), data: { bomFormat: "CycloneDX", specVersion: "1.5", components: [] } }), 400, "VALIDATION_FAILED");
  expect(noDigest.errors?.[0]?.path).toBe("digest");
  // Hostile nesting: far deeper than any report, answered 400 rather than a stack overflow.
  const deep = "[".repeat(100_000) + "1" + "]".repeat(100_000);
  await expectProblem(await api.post("/api/v1/events/falco", { headers: auth(token), data: Buffer.from(deep) }), 400, "VALIDATION_FAILED");
  await expectProblem(await api.get("/api/v1/reports/trivy", { headers: auth(token) }), 405, "METHOD_NOT_ALLOWED");
  const after = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Report"`);
  expect(after[0]!.n).toBe(before[0]!.n);
});

test("a token without the ingest scope is 403; an unknown token is 401", async () => {
  const db = createDb(E2E_DATABASE_URL, { max: 1 });
  try {
    const readOnly = await createApiTokenForOrg(db, "acme", { name: `e2e-read-${randomBytes(3).toString("hex")}`, scopes: ["read"] }, "e2e");
    await expectProblem(await api.post("/api/v1/reports/trivy", { headers: auth(readOnly.token), data: Buffer.from(TRIVY) }), 403, "FORBIDDEN");
  } finally {
    await db.$disconnect();
  }
  await expectProblem(await api.post("/api/v1/reports/trivy", { headers: auth(`bwk_${"A".repeat(43)}`), data: Buffer.from(TRIVY) }), 401, "UNAUTHENTICATED");
});

test("a token revoked in the UI is refused with 401 at once", async ({ page }) => {
  await signInViaUi(page, USERS.admin);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/connectors");
  const row = page.getByTestId("tokens-table").getByRole("row").filter({ hasText: tokenName });
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  await expectProblem(await api.post("/api/v1/reports/trivy", { headers: auth(token), data: Buffer.from(TRIVY) }), 401, "UNAUTHENTICATED");
  const audit = await sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditLog" WHERE action = 'api_token.revoked' AND metadata->>'name' = $1`, [tokenName]);
  expect(Number(audit[0]!.n)).toBe(1);
});

test("a viewer sees the connectors page without token management", async ({ page }) => {
  await signInViaUi(page, USERS.viewer);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/connectors");
  await expect(page.getByRole("heading", { name: "Connectors", level: 1 })).toBeVisible();
  await expect(page.getByTestId("token-form")).toHaveCount(0);
  await expect(page.getByTestId("tokens-table")).toHaveCount(0);
  await expect(page.getByTestId("reports-table")).toContainText("Trivy");
});

test("the OpenAPI description is valid 3.1 JSON and the docs page renders it", async ({ page }) => {
  const res = await api.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  for (const p of ["/api/v1/reports/trivy", "/api/v1/reports/{id}", "/api/v1/clusters/{name}/inventory", "/api/v1/sbom", "/api/v1/events/falco", "/api/v1/registries/{name}/images"]) {
    expect(doc.paths[p], p).toBeDefined();
  }

  await signInViaUi(page, USERS.viewer);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Bulwark API reference", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Connectors", level: 2 })).toBeVisible();
  const trivy = page.getByTestId("api-operation").filter({ hasText: "/api/v1/reports/trivy" });
  await expect(trivy).toContainText("202");
  await expect(trivy).toContainText("AcceptedReport");
  await expect(page.locator("#schema-RegistryImagesReport")).toContainText("images[].digest");
});
