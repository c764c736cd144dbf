import { type Db } from "@bulwark/db";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { burnPasswordCheck, verifyPassword } from "../crypto/passwords.ts";
import { hitRateLimit, resetRateLimit, type RateLimit } from "../rate-limit.ts";
import { type Redis } from "../redis.ts";

// Per-account and per-address windows: one stops guessing at a single account, the other stops one
// address spraying many accounts.
export const LOGIN_LIMIT_PER_EMAIL: RateLimit = { name: "login-email", limit: 10, windowSeconds: 15 * 60 };
export const LOGIN_LIMIT_PER_IP: RateLimit = { name: "login-ip", limit: 50, windowSeconds: 15 * 60 };

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string | null;
}

export async function authenticatePassword(
  db: Db,
  redis: Redis,
  input: { email: unknown; password: unknown; ip?: string | null },
): Promise<AuthenticatedUser> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHENTICATED", "Invalid email or password");
  const { email, password } = parsed.data;
  const ip = input.ip ?? "unknown";

  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(redis, LOGIN_LIMIT_PER_EMAIL, email),
    hitRateLimit(redis, LOGIN_LIMIT_PER_IP, ip),
  ]);
  if (!byEmail.allowed || !byIp.allowed) {
    throw new AppError("RATE_LIMITED", "Too many sign-in attempts; try again later", {
      retryAfterSeconds: Math.max(byEmail.retryAfterSeconds, byIp.retryAfterSeconds),
    });
  }

  const user = await db.user.findUnique({ where: { email } });
  if (!user || !user.passwordHash || user.disabled) {
    await burnPasswordCheck(password);
    throw new AppError("UNAUTHENTICATED", "Invalid email or password");
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError("UNAUTHENTICATED", "Invalid email or password");
  }
  await Promise.all([
    resetRateLimit(redis, LOGIN_LIMIT_PER_EMAIL, email),
    db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } }),
  ]);
  return { id: user.id, email: user.email, name: user.name };
}
