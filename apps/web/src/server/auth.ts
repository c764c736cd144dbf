import { authenticatePassword, isAppError, signInWithSso } from "@bulwark/core";
import { getServerSession, type AuthOptions, type User } from "next-auth";
import { type OAuthConfig } from "next-auth/providers/oauth";
import { connection } from "next/server";
import Credentials from "next-auth/providers/credentials";
import { env } from "../env.ts";
import { db } from "./db.ts";
import { logger } from "./logger.ts";
import { redis } from "./redis.ts";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
  }
}

/** Error codes the sign-in page understands (next-auth passes thrown messages through as `error`). */
export const SIGNIN_ERRORS = { rateLimited: "RateLimited", ssoRejected: "SsoRejected", unavailable: "Unavailable" } as const;

export const OIDC_PROVIDER_ID = "oidc";
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

function headerValue(h: Record<string, unknown> | undefined, name: string): string | null {
  const v = h?.[name];
  return typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : null;
}

function buildAuthOptions(): AuthOptions {
  const e = env();
  const providers: AuthOptions["providers"] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const fwd = headerValue(req.headers, "x-forwarded-for");
        const ip = fwd?.split(",")[0]?.trim() || headerValue(req.headers, "x-real-ip");
        try {
          const user = await authenticatePassword(db(), redis(), { email: credentials?.email, password: credentials?.password, ip });
          return { id: user.id, email: user.email, name: user.name };
        } catch (err) {
          if (isAppError(err) && err.code === "RATE_LIMITED") throw new Error(SIGNIN_ERRORS.rateLimited);
          if (isAppError(err) && err.code === "UNAUTHENTICATED") return null;
          // next-auth puts a thrown message on the sign-in URL: only a fixed code may travel there.
          logger().error({ err }, "sign-in failed unexpectedly");
          throw new Error(SIGNIN_ERRORS.unavailable);
        }
      },
    }),
  ];

  if (e.oidc) {
    const oidc: OAuthConfig<OidcProfile> = {
      id: OIDC_PROVIDER_ID,
      name: e.oidc.name,
      type: "oauth",
      wellKnown: `${e.oidc.issuer}/.well-known/openid-configuration`,
      clientId: e.oidc.clientId,
      clientSecret: e.oidc.clientSecret,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? null };
      },
    };
    providers.push(oidc);
  }

  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const p = profile as OidcProfile | undefined;
        try {
          const local = await signInWithSso(db(), { email: p?.email, emailVerified: p?.email_verified === true, name: p?.name });
          // Without a database adapter next-auth hands this same object to the jwt callback, so the
          // session carries Bulwark's user id rather than the provider's subject.
          (user as User).id = local.id;
          return true;
        } catch (err) {
          logger().warn({ err: isAppError(err) ? err.message : err }, "single sign-on rejected");
          return `/signin?error=${SIGNIN_ERRORS.ssoRejected}`;
        }
      },
      async jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        if (token.uid) session.user = { id: token.uid, email: token.email ?? "", name: token.name ?? null };
        return session;
      },
    },
    logger: {
      error: (code, metadata) => logger().error({ code, metadata }, "next-auth error"),
      warn: (code) => logger().warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}

let cached: AuthOptions | undefined;

/** Built on first use, so importing this module never needs configuration (e.g. during `next build`). */
export function authOptions(): AuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

export function oidcEnabled(): { id: string; name: string } | null {
  const o = env().oidc;
  return o ? { id: OIDC_PROVIDER_ID, name: o.name } : null;
}

/** The signed-in user's id, or null. Callers read roles and memberships fresh from the database. */
export async function currentUserId(): Promise<string | null> {
  // Marks the caller as request-time before configuration is read, so `next build` never prerenders it.
  await connection();
  const session = await getServerSession(authOptions());
  return session?.user?.id ?? null;
}
