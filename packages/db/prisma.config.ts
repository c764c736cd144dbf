import path from "node:path";
import { defineConfig } from "prisma/config";

// The schema lives at the repository root (prisma/); this package owns the generated client.
const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  schema: path.join(root, "prisma", "schema.prisma"),
  migrations: {
    path: path.join(root, "prisma", "migrations"),
    seed: `tsx ${path.join(root, "prisma", "seed.ts")}`,
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://bulwark@127.0.0.1:54329/bulwark",
  },
});
