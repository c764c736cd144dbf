import { AppError, isAppError, resolveOrgContext, type OrgContext, type UserOrg } from "@bulwark/core";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { currentUserId } from "./auth.ts";
import { db } from "./db.ts";
import { clientIp } from "./http.ts";

/** httpOnly cookie naming the organization the user last switched to; only ever a preference. */
export const ORG_COOKIE = "bulwark-org";

export interface PageContext {
  ctx: OrgContext;
  orgs: UserOrg[];
  current: UserOrg;
  user: { id: string; email: string; name: string | null };
}

export type PageSession = { kind: "org"; page: PageContext } | { kind: "no-org"; user: { id: string; email: string } };

/**
 * Resolves the signed-in user and their active organization once per request (layout and page share
 * it). The org cookie is checked against the memberships read from the database, so a stale or forged
 * cookie falls back to the user's first organization.
 */
export const getPageSession = cache(async (): Promise<PageSession> => {
  const userId = await currentUserId();
  if (!userId) redirect("/signin");
  const [jar, hdrs] = await Promise.all([cookies(), headers()]);
  try {
    const r = await resolveOrgContext(db(), { id: userId }, jar.get(ORG_COOKIE)?.value ?? null, clientIp(hdrs));
    const u = await db().user.findUnique({ where: { id: userId }, select: { email: true, name: true } });
    return { kind: "org", page: { ...r, user: { id: userId, email: u?.email ?? "", name: u?.name ?? null } } };
  } catch (err) {
    if (isAppError(err) && err.code === "FORBIDDEN") {
      const u = await db().user.findUnique({ where: { id: userId }, select: { email: true } });
      return { kind: "no-org", user: { id: userId, email: u?.email ?? "" } };
    }
    if (isAppError(err) && err.code === "UNAUTHENTICATED") redirect("/signin?error=SessionExpired");
    throw err;
  }
});

/** For pages inside the dashboard: the org context, or a redirect/no-org state handled by the layout. */
export async function requirePage(): Promise<PageContext> {
  const s = await getPageSession();
  if (s.kind === "no-org") throw new AppError("FORBIDDEN", "You are not a member of any organization");
  return s.page;
}
