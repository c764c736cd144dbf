// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the schema at the last commit
// (or --from FILE) to prisma/schema.prisma. Runs offline through the WebAssembly schema engine.
// Usage: npm run db:new-migration -- <name> [--from path/to/old.prisma]
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffSchema } from "../packages/db/src/schema-engine.ts";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name> [--from old.prisma]");
  process.exit(2);
}
const fromIdx = args.indexOf("--from");
const root = path.resolve(import.meta.dirname, "..");
let old: string | null = null;
if (fromIdx >= 0 && args[fromIdx + 1]) {
  old = readFileSync(args[fromIdx + 1]!, "utf8");
} else {
  try {
    old = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    old = null;
  }
}
const next = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
const sql = await diffSchema({
  databaseUrl: process.env.DATABASE_URL ?? "postgresql://bulwark@127.0.0.1:54329/postgres",
  from: old ? { datamodel: old } : "empty",
  toDatamodel: next,
});
if (!sql) {
  console.log("schema.prisma has no changes against the base: nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(root, "prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
