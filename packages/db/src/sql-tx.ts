import { once } from "node:events";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Prisma, type PrismaClient } from "./generated/prisma/client.ts";

// A transaction on a plain pg connection, for the one thing Prisma's driver adapter cannot do: COPY.
// Bulk ingestion stages tens of thousands of rows per transaction; COPY's text format is parsed several
// times faster than the same rows as query parameters (JSON or arrays), and the staging table must be
// visible to the statements that follow, so the COPY runs on the transaction's own connection.
// The surface is the raw-SQL subset of Prisma's client, so data access written for Prisma (tagged
// templates through $queryRaw/$executeRaw) runs unchanged on either.

export type CopyValue = string | number | boolean | null;

/** What raw-SQL data access needs: satisfied by the Prisma client, its transactions and SqlTransaction. */
export interface SqlTx {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
}

export interface SqlTransaction extends SqlTx {
  /** COPY rows into `table` (identifiers as written, already quoted where needed). */
  copyRows(table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<number>;
}

/** True when `tx` can COPY (a SqlTransaction), so callers can pick the bulk path. */
export function canCopy(tx: SqlTx): tx is SqlTransaction {
  return typeof (tx as Partial<SqlTransaction>).copyRows === "function";
}

// Kept on globalThis: Next bundles this module once per server layer (API routes, pages, actions) while
// the Prisma client they share is made once, so module-local maps would not know a client made elsewhere.
const registry = globalThis as typeof globalThis & { __bulwarkSqlUrls?: WeakMap<PrismaClient, string>; __bulwarkSqlPools?: WeakMap<PrismaClient, pg.Pool> };
const urls = (registry.__bulwarkSqlUrls ??= new WeakMap<PrismaClient, string>());
const pools = (registry.__bulwarkSqlPools ??= new WeakMap<PrismaClient, pg.Pool>());

/** Called by createDb: the URL the plain pool of this client connects to. */
export function registerDbUrl(db: PrismaClient, url: string): void {
  urls.set(db, url);
}

function poolOf(db: PrismaClient): pg.Pool {
  let pool = pools.get(db);
  if (!pool) {
    const connectionString = urls.get(db);
    if (!connectionString) throw new Error("withSqlTransaction needs a client made by createDb");
    pool = new pg.Pool({ connectionString, max: PLAIN_POOL_MAX, idleTimeoutMillis: 10_000, allowExitOnIdle: true, types: { getTypeParser } });
    pools.set(db, pool);
  }
  return pool;
}

// Small and lazy: bulk ingestion's transactions and the accept/claim statements use it, and idle
// connections must not keep a process alive.
const PLAIN_POOL_MAX = 8;

// Values come back as Prisma's raw queries return them, so data access runs unchanged on either:
// `timestamp` columns hold the UTC wall clock (node-postgres would read them in the process's zone),
// and int8 is a bigint (node-postgres answers a string).
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
function getTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
  if (format !== "binary" && oid === TIMESTAMP_OID) return (v) => new Date(`${v.replace(" ", "T")}Z`);
  if (format !== "binary" && oid === INT8_OID) return (v) => BigInt(v);
  return pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown;
}

/**
 * Single statements on the plain pool, each its own transaction. For the hottest paths only (a report's
 * accept and claim, run for every report a connector sends): a raw query through Prisma's client costs
 * about 0.6 ms more CPU than the same statement on node-postgres, measured in bench/ (docs/benchmarks.md).
 */
export function plainSql(db: PrismaClient): SqlTx {
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
      const sql = toSql(query, values);
      return (await poolOf(db).query(sql.text, sql.values)).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number> {
      const sql = toSql(query, values);
      return (await poolOf(db).query(sql.text, sql.values)).rowCount ?? 0;
    },
  };
}

/** Ends the plain pool of `db`, if one was opened (workers call it on shutdown, beside $disconnect). */
export async function endSqlPool(db: PrismaClient): Promise<void> {
  const pool = pools.get(db);
  pools.delete(db);
  await pool?.end();
}

export interface SqlTransactionOptions {
  /** Commit without waiting for the WAL flush (for work that is safe to redo after a crash). */
  asyncCommit?: boolean;
  /** Statement timeout inside the transaction, ms (default 5 minutes). */
  timeoutMs?: number;
}

/** Runs `fn` in one transaction on a plain pg connection: committed if it resolves, rolled back if it throws. */
export async function withSqlTransaction<T>(db: PrismaClient, fn: (tx: SqlTransaction) => Promise<T>, opts: SqlTransactionOptions = {}): Promise<T> {
  const client = await poolOf(db).connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(opts.timeoutMs ?? 300_000))}`);
    if (opts.asyncCommit) await client.query("SET LOCAL synchronous_commit = off");
    const result = await fn(transaction(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    // A connection whose rollback failed is in an unknown state: discard it rather than reuse it.
    client.release(broken);
  }
}

function toSql(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
}

function transaction(client: pg.PoolClient): SqlTransaction {
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
      const sql = toSql(query, values);
      return (await client.query(sql.text, sql.values)).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number> {
      const sql = toSql(query, values);
      return (await client.query(sql.text, sql.values)).rowCount ?? 0;
    },
    async copyRows(table, columns, rows) {
      if (rows.length === 0) return 0;
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`));
      const done = once(stream, "finish");
      // Bounded chunks: one huge string would double the memory of a large batch for no gain.
      let text = "";
      for (const row of rows) {
        for (let j = 0; j < row.length; j++) text += (j === 0 ? "" : "\t") + copyField(row[j]!);
        text += "\n";
        if (text.length >= COPY_CHUNK_CHARS) {
          const ok = stream.write(text);
          text = "";
          if (!ok) await once(stream, "drain");
        }
      }
      if (text.length > 0) stream.end(text);
      else stream.end();
      await done;
      return rows.length;
    },
  };
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_CHUNK_CHARS = 256 * 1024;

/** COPY text format: \N is NULL; backslash, tab, newline and carriage return are escaped. */
export function copyField(v: CopyValue): string {
  if (v === null) return "\\N";
  if (typeof v !== "string") return String(v);
  if (!COPY_SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}
