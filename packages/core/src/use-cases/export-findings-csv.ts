import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { csvLine } from "../findings/csv.ts";
import { type FindingFilters, parseFindingFilters, type QueryInput } from "../findings/filters.ts";
import { type FindingListRow, findingsPage, placesOf } from "../findings/query.ts";

export const FINDINGS_CSV_COLUMNS = [
  "id",
  "severity",
  "type",
  "status",
  "title",
  "ruleId",
  "source",
  "packageName",
  "packageVersion",
  "fixedVersion",
  "fixable",
  "cvssScore",
  "image",
  "imageId",
  "cluster",
  "clusterId",
  "namespace",
  "workload",
  "workloadId",
  "firstSeen",
  "lastSeen",
  "exceptionId",
] as const;

/** Rows per keyset batch: one short query each, so the export never holds a long transaction or a big result. */
export const EXPORT_BATCH = 2_000;

export function findingCsvLine(r: FindingListRow): string {
  return csvLine([
    r.id,
    r.severity,
    r.type,
    r.status,
    r.title,
    r.ruleId,
    r.source,
    r.packageName,
    r.packageVersion,
    r.fixedVersion,
    r.fixable,
    r.cvssScore,
    r.image,
    r.imageId,
    r.cluster,
    r.clusterId,
    r.namespace,
    r.workload,
    r.workloadId,
    r.firstSeen,
    r.lastSeen,
    r.exceptionId,
  ]);
}

/**
 * Every finding the filters match (no limit), as CSV lines: the header, then one line per finding in
 * the filters' order. Filters are validated before the first line, so a bad query fails as a 400
 * rather than mid-stream. Reads in keyset batches as the consumer pulls.
 */
export async function exportFindingsCsv(db: Db, ctx: OrgContext, input: FindingFilters | QueryInput, batch = EXPORT_BATCH): Promise<AsyncIterable<string>> {
  requireReader(ctx);
  const base = typeof (input as FindingFilters).limit === "number" && Array.isArray((input as FindingFilters).type) ? (input as FindingFilters) : parseFindingFilters(input as QueryInput);
  // The export starts at the beginning whatever page the caller was on.
  const filters: FindingFilters = { ...base, cursor: undefined };
  const orgId = ctx.orgId;
  const places = await placesOf(db, orgId, filters);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(FINDINGS_CSV_COLUMNS);
    let cursor: string | undefined;
    for (;;) {
      const page = await findingsPage(db, orgId, { ...filters, ...(cursor ? { cursor } : {}) }, batch, places);
      for (const r of page.rows) yield findingCsvLine(r);
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }
  return lines();
}
