// Applies pending migrations to DATABASE_URL (creating the database first when it is local and missing).
import path from "node:path";
import { ensureDatabase, migrate } from "../packages/db/src/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm start writes it to .env)");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
if (process.env.BULWARK_CREATE_DB !== "0") await ensureDatabase(url);
const res = await migrate(url, path.join(root, "prisma/migrations"));
console.log(
  res.applied.length
    ? `applied ${res.applied.length} migration(s): ${res.applied.join(", ")}`
    : `database is up to date (${res.alreadyApplied} migration(s))`,
);
