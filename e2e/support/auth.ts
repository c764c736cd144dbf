import { expect, request, type APIRequestContext, type Page } from "@playwright/test";
import { BASE_URL, DEMO_PASSWORD } from "./env.ts";

/**
 * An API client signed in through next-auth's credentials flow, the same requests the sign-in page
 * makes: fetch a CSRF token, post the form, keep the session cookie.
 */
export async function apiAs(email: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: BASE_URL });
  const csrf = await ctx.get("/api/auth/csrf");
  expect(csrf.ok()).toBeTruthy();
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true", callbackUrl: BASE_URL },
  });
  expect(res.ok(), `sign-in as ${email} answered ${res.status()}`).toBeTruthy();
  const session = (await (await ctx.get("/api/auth/session")).json()) as { user?: { id?: string; email?: string } };
  expect(session.user?.email, `no session for ${email}`).toBe(email);
  return ctx;
}

export async function signInViaUi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}
