import { defineConfig } from "vitest/config";

// Integration tests share one Postgres and Redis; files run one at a time so they never race on rows.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
