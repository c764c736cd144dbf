import { AppError, acceptReport, hitRateLimit, reportBodySchema, type AcceptedReport, type OrgContext } from "@bulwark/core";
import { type ReportKind } from "@bulwark/db";
import { z } from "zod";
import { env } from "../env.ts";
import { apiContext } from "./api-context.ts";
import { db } from "./db.ts";
import { json, readJson } from "./http.ts";
import { logger } from "./logger.ts";
import { queue } from "./queue.ts";
import { redis } from "./redis.ts";

// Shared by the connector routes: token auth plus a per-token rate limit, a permissive body schema
// (the core parsers validate each format and name field paths), and the 202 answer.

const TOKEN_RATE_WINDOW_SECONDS = 60;

/** Which per-token budget a route counts against: scan reports and inventories, or runtime events. */
export type RateBudget = "reports" | "events";

/** Counts the request against the token's per-minute budget. A Redis outage lets requests through: reports still land in Postgres. */
async function enforceTokenRateLimit(tokenId: string, budget: RateBudget): Promise<void> {
  let result;
  const limit = budget === "events" ? { name: "token-events", limit: env().BULWARK_EVENT_RATE_LIMIT_PER_MIN } : { name: "token", limit: env().BULWARK_TOKEN_RATE_LIMIT_PER_MIN };
  try {
    result = await hitRateLimit(redis(), { ...limit, windowSeconds: TOKEN_RATE_WINDOW_SECONDS }, tokenId);
  } catch (err) {
    logger().warn({ err }, "token rate limit unavailable; allowing the request");
    return;
  }
  if (!result.allowed) {
    throw new AppError("RATE_LIMITED", "This token has sent too many requests; slow down", { retryAfterSeconds: result.retryAfterSeconds });
  }
}

/** The caller of a connector route. `scope: null` leaves the scope check to the use case. */
export async function connectorContext(req: Request, scope: string | null = "ingest", budget: RateBudget = "reports"): Promise<OrgContext> {
  const ctx = await apiContext(req, { scope });
  if (ctx.actor.type === "token") await enforceTokenRateLimit(ctx.actor.tokenId, budget);
  return ctx;
}

export function reportUrl(id: string): string {
  return `/api/v1/reports/${encodeURIComponent(id)}`;
}

export function acceptedResponse(r: AcceptedReport): Response {
  const statusUrl = reportUrl(r.id);
  return json({ id: r.id, status: r.status, statusUrl }, { status: 202, headers: { location: statusUrl } });
}

/** The whole connector route: authenticate, read, accept (durably), answer 202. */
export async function connectorFor(req: Request, kind: ReportKind, subject: string | null | ((body: unknown) => string | null), budget: RateBudget = "reports"): Promise<Response> {
  const ctx = await connectorContext(req, "ingest", budget);
  const body = await readJson(req, reportBodySchema);
  const subj = typeof subject === "function" ? subject(body) : subject;
  const accepted = await acceptReport(db(), await queue(), ctx, { kind, subject: subj, body, idempotencyKey: req.headers.get("idempotency-key") });
  return acceptedResponse(accepted);
}

/** Cluster and registry names as they appear in URLs: DNS-1123-like labels joined by dots. */
export const resourceNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");

export function parseName(raw: string, field: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  const r = resourceNameSchema.safeParse(decoded);
  if (!r.success) throw new AppError("VALIDATION_FAILED", `Invalid ${field}`, { fields: [{ path: field, message: r.error.issues[0]?.message ?? "invalid" }] });
  return r.data;
}
