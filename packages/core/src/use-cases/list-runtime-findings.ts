import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { parseRuntimeQuery, type RuntimeFindingsQuery, type RuntimeQueryInput } from "../runtime-findings/filters.ts";
import { runtimeCounts, runtimePage, type RuntimeSeverityCounts } from "../runtime-findings/query.ts";
import { type RuntimeFindingItem, toRuntimeItem } from "../runtime-findings/view.ts";

export interface RuntimeFindingsList {
  items: RuntimeFindingItem[];
  nextCursor: string | null;
  /** Aggregates per severity for the other filters (severity left out), for the page's chips. */
  counts: RuntimeSeverityCounts;
}

/**
 * RUNTIME findings of the organization (any member, or a "read" token): Falco aggregates and
 * process-baseline anomalies, keyset-paged, most recently seen first by default. Takes the raw query
 * (the URL contract in runtime-findings/filters.ts) or an already parsed one.
 */
export async function listRuntimeFindings(db: Db, ctx: OrgContext, input: RuntimeQueryInput | RuntimeFindingsQuery = {}): Promise<RuntimeFindingsList> {
  requireReader(ctx);
  const q = isParsed(input) ? input : parseRuntimeQuery(input);
  const [page, counts] = await Promise.all([runtimePage(db, ctx.orgId, q), runtimeCounts(db, ctx.orgId, { ...q, severity: [] })]);
  return { items: page.rows.map(toRuntimeItem), nextCursor: page.nextCursor, counts };
}

function isParsed(input: RuntimeQueryInput | RuntimeFindingsQuery): input is RuntimeFindingsQuery {
  return typeof input === "object" && !(input instanceof URLSearchParams) && typeof (input as RuntimeFindingsQuery).limit === "number" && Array.isArray((input as RuntimeFindingsQuery).severity);
}
