import { type Db } from "@bulwark/db";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { type AuthenticatedUser } from "./authenticate-password.ts";

export const ssoIdentitySchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  emailVerified: z.boolean(),
  name: z.string().trim().min(1).max(200).optional(),
});

/**
 * Single sign-on through an OpenID Connect provider. The provider vouches for the address, so the
 * account is matched on the verified email only; an unverified address could claim someone else's
 * account. A first-time address gets a password-less user with no membership: it can sign in, but
 * sees nothing until an admin invites it.
 */
export async function signInWithSso(db: Db, input: unknown): Promise<AuthenticatedUser & { created: boolean }> {
  const parsed = ssoIdentitySchema.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHENTICATED", "The identity provider did not return a usable email address");
  const { email, emailVerified, name } = parsed.data;
  if (!emailVerified) throw new AppError("UNAUTHENTICATED", "The identity provider has not verified this email address");

  const existing = await db.user.findUnique({ where: { email } });
  if (existing?.disabled) throw new AppError("UNAUTHENTICATED", "This account is disabled");
  const now = new Date();
  const user = existing
    ? await db.user.update({ where: { id: existing.id }, data: { lastLoginAt: now, ...(existing.name ? {} : { name: name ?? null }) } })
    : await db.user.create({ data: { email, name: name ?? null, passwordHash: null, lastLoginAt: now } });
  return { id: user.id, email: user.email, name: user.name, created: !existing };
}
