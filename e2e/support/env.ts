// Settings shared by playwright.config.ts (which starts the server) and the specs (which check it).

export const E2E_PORT = 3100;
export const BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://bulwark@127.0.0.1:54329/bulwark_e2e";
export const E2E_REDIS_URL = process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:63799/2";
export const E2E_NEXTAUTH_SECRET = "bulwark-e2e-secret-not-for-production-0123456789";
/** Smaller than the 10 MiB default so the over-limit test sends a modest body. */
export const E2E_MAX_BODY_BYTES = 1024 * 1024;
export const DEMO_PASSWORD = process.env.BULWARK_DEMO_PASSWORD || "bulwark-demo";

export const USERS = {
  admin: "admin@bulwark.local",
  viewer: "viewer@bulwark.local",
  globexAdmin: "globex-admin@bulwark.local",
} as const;
