import { createDb, type Db } from "@bulwark/db";
import { env } from "../env.ts";

// One pool per server process. Kept on globalThis so dev-mode module reloads reuse it instead of
// opening a new pool on every edit.
const g = globalThis as typeof globalThis & { __bulwarkDb?: Db };

export function db(): Db {
  g.__bulwarkDb ??= createDb(env().DATABASE_URL, { max: 10 });
  return g.__bulwarkDb;
}
