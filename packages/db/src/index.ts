import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { registerDbUrl } from "./sql-tx.ts";

export * from "./generated/prisma/client.ts";
export { canCopy, copyField, type CopyValue, endSqlPool, plainSql, type SqlTransaction, type SqlTransactionOptions, type SqlTx, withSqlTransaction } from "./sql-tx.ts";

export type Db = PrismaClient;
/** A client or an interactive transaction: data access functions take either. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface CreateDbOptions {
  /** Pool size per process; web and worker replicas each hold their own pool. */
  max?: number;
}

export function createDb(databaseUrl: string, opts: CreateDbOptions = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 });
  const db = new PrismaClient({ adapter });
  registerDbUrl(db, databaseUrl);
  return db;
}
