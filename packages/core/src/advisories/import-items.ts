import { type Db } from "@bulwark/db";
import { parseOsvJsonText, type NormalizedAdvisory, type RecordIssue } from "@bulwark/vuln";
import { checkAdvisoryVersions } from "./check-versions.ts";
import { type SourceItem } from "./read-source.ts";
import { ADVISORY_BATCH_SIZE, storeAdvisories, type StoreAdvisoriesResult } from "./store-advisories.ts";

// The import pipeline shared by `bulwark vuln import` and the feed sync: source items → parsed records →
// stored batches. Per-record problems are reported and skipped; a batch the database refuses is retried
// record by record so one poison record costs only itself. Nothing here deletes an advisory: a failed
// batch rolls back its own writes and leaves what earlier imports stored as it was.

export interface AdvisoryImportStats {
  /** JSON texts read (files on disk or zip entries). */
  files: number;
  /** Records found in them, valid or not. */
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  /** Records rejected (invalid JSON or OSV, or refused by the database). */
  invalid: number;
}

export interface AdvisoryImportIssue {
  /** File or zip entry ("all.zip!GHSA-xxxx.json"). */
  origin: string;
  /** The record's id when it could be read. */
  id: string | null;
  /** JSON path inside the record ("affected.0.ranges.1.events.2.fixed"), "" for the whole file/record. */
  path: string;
  message: string;
  /** "error": the record (or file) was not stored; "warning": it was stored, minus what the message says. */
  level: "error" | "warning";
}

export interface AdvisoryImportResult {
  stats: AdvisoryImportStats;
  /** The first `maxIssues` issues, in the order they were met. */
  issues: AdvisoryImportIssue[];
  /** All issues, including those not listed. */
  issueCount: number;
  /** Advisory.id of every inserted, updated or withdrawn record, for the delta rescan. */
  changedAdvisoryIds: string[];
}

export interface ImportItemsOptions {
  batchSize?: number;
  /** Called after each stored batch with the running totals. */
  onProgress?: (stats: Readonly<AdvisoryImportStats>) => void;
  /** Issues kept in the result (default 1,000); the rest are only counted. */
  maxIssues?: number;
}

/** The import stopped (the database is unreachable, say); `partial` is what was stored before it did. */
export class AdvisoryImportAborted extends Error {
  constructor(
    message: string,
    readonly partial: AdvisoryImportResult,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = "AdvisoryImportAborted";
  }
}

export const DEFAULT_MAX_ISSUES = 1_000;

export function emptyImportResult(): AdvisoryImportResult {
  return { stats: { files: 0, records: 0, inserted: 0, updated: 0, unchanged: 0, withdrawn: 0, invalid: 0 }, issues: [], issueCount: 0, changedAdvisoryIds: [] };
}

/** A database error, told without the values it may quote. */
export function safeDbMessage(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? `database error ${code}` : "database error";
}

function joinPath(path: RecordIssue["path"]): string {
  return path.map(String).join(".");
}

export async function importItems(db: Db, items: AsyncIterable<SourceItem>, source: string, opts: ImportItemsOptions = {}): Promise<AdvisoryImportResult> {
  const result = emptyImportResult();
  const { stats } = result;
  const maxIssues = opts.maxIssues ?? DEFAULT_MAX_ISSUES;
  const batchSize = Math.max(1, Math.trunc(opts.batchSize ?? ADVISORY_BATCH_SIZE));
  const report = (origin: string, id: string | null, path: string, message: string, level: AdvisoryImportIssue["level"]) => {
    result.issueCount++;
    if (result.issues.length < maxIssues) result.issues.push({ origin, id, path, message, level });
  };

  let batch: Array<{ advisory: NormalizedAdvisory; origin: string }> = [];
  const add = (part: StoreAdvisoriesResult) => {
    stats.inserted += part.inserted;
    stats.updated += part.updated;
    stats.unchanged += part.unchanged;
    stats.withdrawn += part.withdrawn;
    for (const id of part.changedAdvisoryIds) result.changedAdvisoryIds.push(id);
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    try {
      add(await storeAdvisories(db, current.map((c) => c.advisory), source, current.length));
    } catch (batchError) {
      // Isolate the record the database refused; if every one fails the problem is not the records.
      let failed = 0;
      for (const c of current) {
        try {
          add(await storeAdvisories(db, [c.advisory], source));
        } catch (err) {
          failed++;
          stats.invalid++;
          report(c.origin, c.advisory.externalId, "", `not stored: ${safeDbMessage(err)}`, "error");
        }
      }
      if (failed === current.length) throw new AdvisoryImportAborted(`import stopped: ${safeDbMessage(batchError)}`, result, batchError);
    }
    opts.onProgress?.(stats);
  };

  try {
    for await (const item of items) {
      if ("message" in item) {
        report(item.origin, null, "", item.message, "error");
        continue;
      }
      stats.files++;
      for (const parsed of parseOsvJsonText(item.text, item.origin)) {
        stats.records++;
        if (!parsed.ok) {
          stats.invalid++;
          for (const issue of parsed.issues) report(item.origin, parsed.id, joinPath(issue.path), issue.message, "error");
          continue;
        }
        const { advisory } = parsed;
        for (const w of parsed.warnings) report(item.origin, advisory.externalId, joinPath(w.path), w.message, "warning");
        // Stored even so: aliases, severity and references are still worth having for an ecosystem we cannot match.
        for (const w of checkAdvisoryVersions(advisory)) report(item.origin, advisory.externalId, joinPath(w.path), w.message, "warning");
        batch.push({ advisory, origin: item.origin });
        if (batch.length >= batchSize) await flush();
      }
    }
  } catch (err) {
    if (err instanceof AdvisoryImportAborted) throw err;
    // Reading failed midway (a download cut off, a disk error): keep what was parsed, then stop.
    await flush().catch(() => {});
    throw new AdvisoryImportAborted(`import stopped: ${err instanceof Error ? err.message.split("\n")[0]!.slice(0, 300) : "read error"}`, result, err);
  }
  await flush();
  return result;
}
