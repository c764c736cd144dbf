import pg from "pg";

// Records the SQL statements (text + parameters) a function sends through node-postgres, which both
// Prisma's pg adapter and plainSql use, so the benchmark can replay exactly those statements "raw".
// Transaction control and session settings are left out.

interface Captured {
  sql: string;
  params: unknown[];
}

let recording: Captured[] | null = null;
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;

pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const [first, second] = args;
    const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text;
    const values = typeof first === "string" ? second : ((first as { values?: unknown[] } | undefined)?.values ?? second);
    if (text && !/^\s*(BEGIN|COMMIT|ROLLBACK|SET|SAVEPOINT|RELEASE|DEALLOCATE|SELECT 1\s*$)/i.test(text)) {
      recording.push({ sql: text, params: Array.isArray(values) ? values : [] });
    }
  }
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

export async function captureSql(fn: () => Promise<unknown>): Promise<Captured[]> {
  recording = [];
  try {
    await fn();
    return recording;
  } finally {
    recording = null;
  }
}
