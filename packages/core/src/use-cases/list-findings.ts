import { type Db } from "@bulwark/db";
import { type OrgContext, requireReader } from "../context.ts";
import { type FindingFilters, parseFindingFilters, type QueryInput } from "../findings/filters.ts";
import { countIsCheap, type FindingListRow, type FindingTotal, findingsPage, findingsTotal, placesOf, tallyAnswers } from "../findings/query.ts";

export interface FindingsList {
  items: FindingListRow[];
  nextCursor: string | null;
  total: FindingTotal;
}

/**
 * One page of the organization's findings (any member, or a "read" token), keyset-paginated in the
 * requested order (default: most severe first, then most recently seen). Takes parsed filters or the
 * raw query (URL contract, see findings/filters.ts). The page and its total run side by side.
 */
export async function listFindings(db: Db, ctx: OrgContext, input: FindingFilters | QueryInput, opts: { total?: boolean } = {}): Promise<FindingsList> {
  requireReader(ctx);
  const filters = isParsed(input) ? input : parseFindingFilters(input);
  const places = await placesOf(db, ctx.orgId, filters);
  const counted = opts.total !== false && (tallyAnswers(filters) || countIsCheap(filters, places));
  const [page, count] = await Promise.all([findingsPage(db, ctx.orgId, filters, filters.limit, places), counted ? findingsTotal(db, ctx.orgId, filters, places) : null]);
  // Not counted: the page itself is the answer when it is the only one, else a lower bound.
  const total: FindingTotal = count ?? { count: page.rows.length, exact: !page.nextCursor && !filters.cursor, via: "page" };
  return { items: page.rows, nextCursor: page.nextCursor, total };
}

function isParsed(input: FindingFilters | QueryInput): input is FindingFilters {
  return typeof input === "object" && !(input instanceof URLSearchParams) && typeof (input as FindingFilters).limit === "number" && Array.isArray((input as FindingFilters).type);
}
