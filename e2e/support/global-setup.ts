import { Redis } from "ioredis";
import { closeDb, sql } from "./db.ts";
import { E2E_DATABASE_URL, E2E_REDIS_URL, USERS } from "./env.ts";

// The e2e database is created, migrated and seeded before Playwright starts (scripts/test.sh). This
// only checks that it happened, and clears sign-in rate-limit counters so repeated local runs (which
// sign in many times from 127.0.0.1) do not lock themselves out.
export default async function globalSetup(): Promise<void> {
  try {
    const rows = await sql<{ email: string }>(`SELECT email FROM "User" WHERE email = ANY($1)`, [Object.values(USERS)]);
    const missing = Object.values(USERS).filter((e) => !rows.some((r) => r.email === e));
    if (missing.length) throw new Error(`missing demo users ${missing.join(", ")}`);
  } catch (err) {
    throw new Error(
      `The e2e database (${E2E_DATABASE_URL}) is not ready: ${err instanceof Error ? err.message : String(err)}. ` +
        `Prepare it with: DATABASE_URL=${E2E_DATABASE_URL} npx tsx scripts/migrate.ts && DATABASE_URL=${E2E_DATABASE_URL} npx tsx prisma/seed.ts`,
    );
  } finally {
    await closeDb();
  }

  const redis = new Redis(E2E_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", "bulwark:rl:*", "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
