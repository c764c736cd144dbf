import { z } from "zod";
import { type Db, type Prisma } from "@bulwark/db";
import { isAppError } from "../errors.ts";
import { AdvisoryImportAborted, importItems, type AdvisoryImportResult, type AdvisoryImportStats } from "../advisories/import-items.ts";
import { isUrlLocation, latestChange, openAdvisorySource, type FetchLike, type SourceLimits } from "../advisories/read-source.ts";
import { advisorySourceNameSchema } from "./import-advisories.ts";

// The scheduled feed sync. The configured list (worker env BULWARK_ADVISORY_SOURCES) is the truth for
// names and locations; AdvisorySource rows remember per feed what the last sync saw, so an unchanged
// feed costs one conditional GET (URLs: ETag / Last-Modified → 304) or one directory walk (paths: no
// file changed since the last good sync). Feeds are synced one after another; one failing feed is
// recorded and the others still run.

export interface AdvisorySourceConfig {
  name: string;
  location: string;
}

export type AdvisorySyncStatus = "ok" | "unchanged" | "failed" | "disabled";

export interface AdvisorySourceSyncResult {
  name: string;
  status: AdvisorySyncStatus;
  /** Null when nothing was imported (unchanged, disabled, or failed before reading). */
  stats: AdvisoryImportStats | null;
  issueCount: number;
  /** Short, safe for display: never a stack or a database value. */
  error: string | null;
  changedAdvisoryIds: string[];
}

export interface SyncAdvisorySourcesInput {
  sources: AdvisorySourceConfig[];
  fetchImpl?: FetchLike;
  /** Clock; read at the start of each feed, whose lastSyncAt it becomes. */
  now?: () => Date;
  limits?: Partial<SourceLimits>;
  batchSize?: number;
}

export interface SyncAdvisorySourcesResult {
  sources: AdvisorySourceSyncResult[];
  /** Union over all feeds, for one delta rescan. */
  changedAdvisoryIds: string[];
}

/** Issues kept in AdvisorySource.lastStats for the UI; the full count is kept beside them. */
const STORED_ISSUES = 20;

const configSchema = z.object({ name: advisorySourceNameSchema, location: z.string().trim().min(1, "must not be empty").max(4096) });

/**
 * Parses BULWARK_ADVISORY_SOURCES: `name=location` entries separated by whitespace, commas or
 * semicolons, e.g. `debian=https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip local=/srv/osv`.
 * Throws with the offending entry on a malformed one, so a typo fails at start-up rather than silently.
 */
export function parseAdvisorySourceList(value: string): AdvisorySourceConfig[] {
  const out: AdvisorySourceConfig[] = [];
  for (const entry of value.split(/[\s,;]+/).filter(Boolean)) {
    const eq = entry.indexOf("=");
    const parsed = configSchema.safeParse({ name: eq > 0 ? entry.slice(0, eq) : "", location: eq > 0 ? entry.slice(eq + 1) : "" });
    if (!parsed.success) throw new Error(`advisory source "${entry.slice(0, 100)}" must be name=location (${parsed.error.issues[0]?.message ?? "invalid"})`);
    if (out.some((s) => s.name === parsed.data.name)) throw new Error(`advisory source "${parsed.data.name}" is listed twice`);
    out.push(parsed.data);
  }
  return out;
}

/** What a failed sync may show: our own messages as they are; others reduced to an error code. */
export function safeSyncError(err: unknown): string {
  if (isAppError(err) || err instanceof AdvisoryImportAborted) return err.message.slice(0, 300);
  if (err instanceof Error && /^(download |the source )/.test(err.message)) return err.message.slice(0, 300);
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const code = (err as { code?: unknown } | null)?.code ?? cause?.code;
  if (err instanceof Error && err.name === "TimeoutError") return "download timed out";
  // fetch() reports network failures as TypeError("fetch failed") with the system error as its cause.
  const what = err instanceof TypeError && err.message === "fetch failed" ? "download failed" : "sync failed";
  if (typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code)) return `${what} (${code})`;
  if (what === "download failed") return what;
  return "sync failed";
}

function statsJson(result: AdvisoryImportResult): Prisma.InputJsonValue {
  return {
    ...result.stats,
    issueCount: result.issueCount,
    issues: result.issues.slice(0, STORED_ISSUES).map((i) => ({ origin: i.origin, id: i.id, path: i.path, message: i.message, level: i.level })),
  };
}

export async function syncAdvisorySources(db: Db, input: SyncAdvisorySourcesInput): Promise<SyncAdvisorySourcesResult> {
  const now = input.now ?? (() => new Date());
  const results: AdvisorySourceSyncResult[] = [];
  const changed = new Set<string>();
  const seen = new Set<string>();
  for (const raw of input.sources) {
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success || seen.has(parsed.data.name)) {
      const error = parsed.success ? "listed twice; only the first entry is synced" : `invalid configuration: ${parsed.error.issues[0]?.message ?? "invalid"}`;
      results.push({ name: String(raw.name).slice(0, 100), status: "failed", stats: null, issueCount: 0, error, changedAdvisoryIds: [] });
      continue;
    }
    seen.add(parsed.data.name);
    const result = await syncOne(db, parsed.data, input, now);
    for (const id of result.changedAdvisoryIds) changed.add(id);
    results.push(result);
  }
  return { sources: results, changedAdvisoryIds: [...changed] };
}

async function syncOne(db: Db, config: AdvisorySourceConfig, input: SyncAdvisorySourcesInput, now: () => Date): Promise<AdvisorySourceSyncResult> {
  const { name, location } = config;
  let row = await db.advisorySource.upsert({ where: { name }, create: { name, location }, update: {} });
  if (row.location !== location) {
    // A moved feed is a new feed: the old validators and timestamps say nothing about it.
    row = await db.advisorySource.update({ where: { id: row.id }, data: { location, etag: null, lastModified: null, lastSyncAt: null, lastStatus: null } });
  }
  if (!row.enabled) return { name, status: "disabled", stats: null, issueCount: 0, error: null, changedAdvisoryIds: [] };

  const startedAt = now();
  const unchanged = async (): Promise<AdvisorySourceSyncResult> => {
    // lastStats stay those of the last import that read something.
    await db.advisorySource.update({ where: { id: row.id }, data: { lastSyncAt: startedAt, lastStatus: "unchanged", lastError: null } });
    return { name, status: "unchanged", stats: null, issueCount: 0, error: null, changedAdvisoryIds: [] };
  };
  try {
    // Paths: only after a good sync, and only when nothing under the path changed since it started.
    // A failed sync is always retried in full.
    const lastGood = row.lastSyncAt && (row.lastStatus === "ok" || row.lastStatus === "unchanged") ? row.lastSyncAt : null;
    const changedAt = lastGood && !isUrlLocation(location) ? await latestChange(location).catch(() => null) : null;
    if (lastGood && changedAt && changedAt <= lastGood) return await unchanged();
    const source = await openAdvisorySource(location, { etag: row.etag, lastModified: row.lastModified, fetchImpl: input.fetchImpl, limits: input.limits });
    try {
      if (source.notModified) return await unchanged();
      const result = await importItems(db, source.items(), name, { batchSize: input.batchSize });
      await db.advisorySource.update({
        where: { id: row.id },
        data: {
          lastSyncAt: startedAt,
          lastStatus: "ok",
          lastError: null,
          lastStats: statsJson(result),
          // Validators are only kept once the download they describe was fully imported.
          ...(source.kind === "url" ? { etag: source.etag, lastModified: source.lastModified } : {}),
        },
      });
      return { name, status: "ok", stats: result.stats, issueCount: result.issueCount, error: null, changedAdvisoryIds: result.changedAdvisoryIds };
    } finally {
      await source.close();
    }
  } catch (err) {
    const error = safeSyncError(err);
    const partial = err instanceof AdvisoryImportAborted ? err.partial : null;
    await db.advisorySource
      .update({ where: { id: row.id }, data: { lastSyncAt: startedAt, lastStatus: "failed", lastError: error, ...(partial ? { lastStats: statsJson(partial) } : {}) } })
      // The database may be what failed; the result below still tells the caller.
      .catch(() => {});
    return { name, status: "failed", stats: partial?.stats ?? null, issueCount: partial?.issueCount ?? 0, error, changedAdvisoryIds: partial?.changedAdvisoryIds ?? [] };
  }
}
