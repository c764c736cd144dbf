import { randomBytes } from "node:crypto";
import { type OrgContext } from "@bulwark/core";
import { type Role } from "@bulwark/db";
import { db } from "./db.ts";

// Shared by the API route tests (import ./test-env.ts first): an organization with one member of a
// role, and requests as the API receives them.

export const uid = () => randomBytes(5).toString("hex");

/** A fresh organization with one member of `role`, and that member's context. */
export async function makeOrgWith(role: Role, prefix = "web") {
  const slug = `${prefix}-${uid()}`;
  const org = await db().organization.create({ data: { slug, name: slug } });
  const user = await db().user.create({ data: { email: `${role.toLowerCase()}-${uid()}@test.local` } });
  await db().membership.create({ data: { orgId: org.id, userId: user.id, role } });
  const ctx: OrgContext = { orgId: org.id, actor: { type: "user", userId: user.id, email: user.email, role } };
  return { org, user, ctx };
}

export interface TestRequestInit {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (wins over body). */
  raw?: string;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function apiRequest(url: string, init: TestRequestInit = {}): Request {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined || init.raw !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const body = init.raw ?? (init.body === undefined ? null : JSON.stringify(init.body));
  return new Request(url, { method: init.method ?? "GET", headers, body, signal: init.signal ?? null });
}

/** The second argument Next passes a dynamic route handler. */
export const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });
