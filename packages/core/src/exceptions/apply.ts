import { Prisma, type SqlTx } from "@bulwark/db";
import { utc } from "../ingest/store-findings.ts";
import { resolveLookups, scopeTerms, termsSql } from "./match.ts";
import { readStoredScope } from "./scope.ts";

// Suppression follows approved exceptions: their OPEN findings become SUPPRESSED with exceptionId set,
// and when an exception stops (revoked, expired) its findings reopen unless another exception still
// covers them. Everything here is raw SQL on a SqlTx, so ingestion can call it inside its own
// transaction (Prisma's or the COPY-capable one) and new findings are never visible unsuppressed.

export interface ApplyTarget {
  /** Only these findings… */
  findingIds?: readonly string[];
  /** …and/or the findings of these images (a re-matched image, say). */
  imageIds?: readonly string[];
}

export interface ApplyOptions {
  /** The clock deciding which exceptions are still in force (default: now). */
  now?: Date;
  /** Leave these exceptions out (the one being released). */
  excludeIds?: readonly string[];
  /** Only these exceptions (the one being approved). */
  onlyIds?: readonly string[];
}

interface ActiveException {
  id: string;
  scope: unknown;
}

/** Approved exceptions of the organization in force at `now`, oldest approval first (it claims a finding first). */
async function activeExceptions(db: SqlTx, orgId: string, opts: ApplyOptions): Promise<ActiveException[]> {
  const now = opts.now ?? new Date();
  const only = opts.onlyIds ? Prisma.sql`AND id = ANY(${[...opts.onlyIds]}::text[])` : Prisma.empty;
  const exclude = opts.excludeIds?.length ? Prisma.sql`AND NOT (id = ANY(${[...opts.excludeIds]}::text[]))` : Prisma.empty;
  return db.$queryRaw<ActiveException[]>`
    SELECT id, scope FROM "Exception"
    WHERE "orgId" = ${orgId} AND status = 'APPROVED' AND "expiredAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ${utc(now)}) ${only} ${exclude}
    ORDER BY "approvedAt" NULLS LAST, id`;
}

/** Each exception's findings as SQL over `"Finding" f`; names and aliases resolved in a few reads for all. */
async function compile(db: SqlTx, orgId: string, exceptions: ActiveException[]): Promise<{ id: string; where: Prisma.Sql }[]> {
  const stored = exceptions.map((e) => ({ id: e.id, stored: readStoredScope(e.scope) }));
  const lookups = await resolveLookups(db, orgId, stored.map((s) => s.stored.scope));
  const out: { id: string; where: Prisma.Sql }[] = [];
  for (const s of stored) {
    const terms = scopeTerms(s.stored, lookups);
    if (terms.matchable) out.push({ id: s.id, where: termsSql(orgId, terms) });
  }
  return out;
}

function targetSql(target: ApplyTarget): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (target.findingIds?.length) parts.push(Prisma.sql`f.id = ANY(${[...target.findingIds]}::text[])`);
  if (target.imageIds?.length) parts.push(Prisma.sql`f."imageId" = ANY(${[...target.imageIds]}::text[])`);
  return parts.length === 0 ? Prisma.sql`false` : Prisma.sql`(${Prisma.join(parts, " OR ")})`;
}

/**
 * OPEN findings of the organization that an approved, unexpired exception covers become SUPPRESSED
 * with its id (restricted to `target` when given). Answers how many were suppressed. An organization
 * without approved exceptions costs one indexed read, so ingestion may call this after every write.
 */
export async function applyExceptions(db: SqlTx, orgId: string, target?: ApplyTarget, opts: ApplyOptions = {}): Promise<number> {
  if (target && !target.findingIds?.length && !target.imageIds?.length) return 0;
  const exceptions = await activeExceptions(db, orgId, opts);
  if (exceptions.length === 0) return 0;
  const restrict = target ? Prisma.sql`AND ${targetSql(target)}` : Prisma.empty;
  let suppressed = 0;
  for (const ex of await compile(db, orgId, exceptions)) {
    suppressed += await db.$executeRaw`
      UPDATE "Finding" f SET status = 'SUPPRESSED', "exceptionId" = ${ex.id}, "updatedAt" = now()
      WHERE ${ex.where} AND f.status = 'OPEN' ${restrict}`;
  }
  return suppressed;
}

export interface ReleaseResult {
  /** Findings that were suppressed by the exception. */
  released: number;
  /** Of those, the ones another exception still covers (now suppressed by that one). */
  reapplied: number;
  /** Of those, the ones back to OPEN. */
  reopened: number;
  /** The reopened findings that alert (runtime findings and policy violations; see notifications/). */
  alertable?: string[];
}

/**
 * The exception's SUPPRESSED findings go back to OPEN (exceptionId cleared), except those another
 * exception in force still covers: they move to that exception instead. RESOLVED findings are left as
 * they are. Done in SQL on the rows by exceptionId, never by listing ids, so a broad exception costs
 * a few statements however many findings it covered. Callers change the exception's status first (or
 * pass it in excludeIds) so it does not cover its own findings again.
 */
export async function releaseException(db: SqlTx, orgId: string, exceptionId: string, opts: ApplyOptions = {}): Promise<ReleaseResult> {
  // (orgId, status, …) index: only the organization's suppressed findings are read.
  const mine = Prisma.sql`f."orgId" = ${orgId} AND f.status = 'SUPPRESSED' AND f."exceptionId" = ${exceptionId}`;
  const others = await activeExceptions(db, orgId, { ...opts, excludeIds: [...(opts.excludeIds ?? []), exceptionId] });
  let reapplied = 0;
  for (const ex of await compile(db, orgId, others)) {
    reapplied += await db.$executeRaw`UPDATE "Finding" f SET "exceptionId" = ${ex.id}, "updatedAt" = now() WHERE ${mine} AND ${ex.where}`;
  }
  const back = await db.$queryRaw<Array<{ id: string; alertable: boolean }>>`
    UPDATE "Finding" f SET status = 'OPEN', "exceptionId" = NULL, "updatedAt" = now() WHERE ${mine}
    RETURNING f.id, f.type IN ('RUNTIME', 'POLICY_VIOLATION') AS alertable`;
  const reopened = back.length;
  return { released: reapplied + reopened, reapplied, reopened, alertable: back.filter((r) => r.alertable).map((r) => r.id) };
}
