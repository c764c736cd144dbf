import { AppError, isAppError, resolveOrgContext, type FieldError, type OrgContext } from "@bulwark/core";
import { cookies, headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { currentUserId } from "./auth.ts";
import { db } from "./db.ts";
import { clientIp } from "./http.ts";
import { logger } from "./logger.ts";
import { ORG_COOKIE } from "./org-context.ts";

// Server actions are public POST endpoints: each one re-resolves the caller and leaves authorisation
// to the core use case it calls, exactly like the API routes.

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string; fields?: FieldError[] };

export async function actionContext(): Promise<OrgContext> {
  const userId = await currentUserId();
  if (!userId) throw new AppError("UNAUTHENTICATED", "Your session has ended; sign in again");
  const [jar, hdrs] = await Promise.all([cookies(), headers()]);
  const { ctx } = await resolveOrgContext(db(), { id: userId }, jar.get(ORG_COOKIE)?.value ?? null, clientIp(hdrs));
  return ctx;
}

export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    unstable_rethrow(err);
    if (isAppError(err) && err.status < 500) return { ok: false, error: err.message, ...(err.fields ? { fields: err.fields } : {}) };
    logger().error({ err }, "server action failed");
    return { ok: false, error: "Something went wrong on our side. Please try again." };
  }
}
