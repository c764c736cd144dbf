import { defineConfig } from "vitest/config";

// The seed is not a workspace, so scripts/test.sh runs this config on its own after the workspaces.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
