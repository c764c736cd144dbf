// Imported first by tests that load the app's server modules: the environment those modules validate
// (server/env.ts), pointed at the test database and Redis. Test-only; the app never imports it.
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://bulwark@127.0.0.1:54329/bulwark_test";
process.env.REDIS_URL ??= "redis://127.0.0.1:63799/1";
process.env.NEXTAUTH_URL = "http://localhost:3000";
process.env.NEXTAUTH_SECRET ??= "unit-test-secret-unit-test-secret-0000";
// The signing key is installation-wide: the core tests use the same secret, so neither rotates it.
process.env.BULWARK_KEY_SECRET = "bulwark-test-key-secret";
process.env.LOG_LEVEL = "silent";
