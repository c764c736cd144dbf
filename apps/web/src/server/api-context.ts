import { AppError, authenticateToken, resolveOrgContext, type OrgContext } from "@bulwark/core";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { env } from "../env.ts";
import { authOptions } from "./auth.ts";
import { db } from "./db.ts";
import { clientIp } from "./http.ts";
import { ORG_COOKIE } from "./org-context.ts";

export interface ApiContextOptions {
  /**
   * Scope a bearer token needs for this route (default "read"); null leaves the scope check to the
   * use case, for routes several scopes may call. Session users are authorised by role in the use case.
   */
  scope?: string | null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Who is calling the API: a bearer token (checked first, so handlers work without a browser session)
 * or the signed-in user's session in their active organization. Neither is a 401.
 */
export async function apiContext(req: Request, opts: ApiContextOptions = {}): Promise<OrgContext> {
  const ip = clientIp(req.headers);
  const authorization = req.headers.get("authorization");
  if (authorization !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new AppError("UNAUTHENTICATED", "Use an Authorization: Bearer <token> header");
    return authenticateToken(db(), m[1]!, opts.scope === null ? undefined : (opts.scope ?? "read"), ip);
  }

  const session = await getServerSession(authOptions());
  const userId = session?.user?.id;
  if (!userId) throw new AppError("UNAUTHENTICATED", "Sign in or send an API token");
  // Cookies ride along on cross-site requests; a browser always sends Origin on those, so a foreign
  // Origin on a state-changing call is refused (JSON-only bodies and SameSite=Lax cover the rest).
  if (!SAFE_METHODS.has(req.method)) {
    const origin = req.headers.get("origin");
    if (origin && origin !== new URL(env().NEXTAUTH_URL).origin) throw AppError.forbidden("Cross-origin requests are not allowed");
  }
  const jar = await cookies();
  const { ctx } = await resolveOrgContext(db(), { id: userId }, jar.get(ORG_COOKIE)?.value ?? null, ip);
  return ctx;
}
