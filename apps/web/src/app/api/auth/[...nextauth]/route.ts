import NextAuth from "next-auth";
import { authOptions } from "../../../../server/auth.ts";
import { notFoundRoute } from "../../../../server/http.ts";

// next-auth's own endpoints. Anything else under /api/auth gets the API's problem+json 404 instead of
// next-auth's default answer. Options are built on first use so `next build` never needs the secret.
const ACTIONS = new Set(["csrf", "providers", "session", "signin", "signout", "callback", "error", "_log", "verify-request"]);

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const { nextauth } = await ctx.params;
  if (!ACTIONS.has(nextauth[0] ?? "")) return notFoundRoute(req, undefined);
  return (await NextAuth(req as never, ctx as never, authOptions())) as Response;
}

export { handler as GET, handler as POST };
