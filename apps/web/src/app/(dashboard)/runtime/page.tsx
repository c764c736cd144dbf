import { getRuntimeActivity, hasRuntimeFilters, isAppError, listClusterNames, listRuntimeFindings, type OrgContext, parseRuntimeQuery, type RuntimeFindingsQuery } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { runtimeHref } from "../../../components/runtime/links.ts";
import { LiveRefresh } from "../../../components/runtime/live-refresh.tsx";
import { RuntimeEmpty, RuntimeFilters, SeverityCounts } from "../../../components/runtime/runtime-filters.tsx";
import { RuntimeTable } from "../../../components/runtime/runtime-table.tsx";
import { RuntimeHeader } from "../../../components/runtime/runtime-tabs.tsx";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Runtime" };

type SearchParams = Record<string, string | string[] | undefined>;

function parse(sp: SearchParams): { q: RuntimeFindingsQuery; errors: { path: string; message: string }[] } {
  try {
    return { q: parseRuntimeQuery(sp), errors: [] };
  } catch (err) {
    if (isAppError(err) && err.code === "VALIDATION_FAILED") return { q: parseRuntimeQuery({}), errors: err.fields ?? [] };
    throw err;
  }
}

/** A stale cursor (another sort, a hand-edited link) shows the first page instead. */
async function list(ctx: OrgContext, q: RuntimeFindingsQuery) {
  try {
    return await listRuntimeFindings(db(), ctx, q);
  } catch (err) {
    if (q.cursor && isAppError(err) && err.code === "VALIDATION_FAILED") return listRuntimeFindings(db(), ctx, { ...q, cursor: undefined });
    throw err;
  }
}

export default async function RuntimePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requirePage();
  const { q, errors } = parse(await searchParams);
  // The activity is read first: a change landing while the list is read then shows on the next poll.
  const activity = await getRuntimeActivity(db(), ctx);
  const [{ items, nextCursor, counts }, clusters] = await Promise.all([list(ctx, q), listClusterNames(db(), ctx).catch(() => [] as string[])]);
  const filtered = hasRuntimeFilters(q);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <RuntimeHeader
        title="Runtime"
        summary="Suspicious behaviour inside running containers: Falco detections folded into one finding per rule, workload and image, and processes outside a locked baseline."
        current="/runtime"
      >
        <LiveRefresh signature={activity.signature} renderedAt={new Date().toISOString()} />
      </RuntimeHeader>

      {errors.length ? (
        <div role="alert" className="card text-sm text-danger" data-testid="runtime-filter-errors">
          <p className="font-medium">Some filters in the link are not valid, so all open runtime findings are shown:</p>
          <ul className="mt-1 list-disc pl-5">
            {errors.map((e) => (
              <li key={`${e.path}-${e.message}`}>
                <span className="font-mono">{e.path}</span>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <RuntimeFilters q={q} clusters={clusters} />
      <SeverityCounts counts={counts} q={q} />

      <div className="card overflow-x-auto p-0">
        {items.length === 0 ? <RuntimeEmpty filtered={filtered} orgHasRuntime={activity.aggregates > 0} /> : <RuntimeTable rows={items} q={q} />}
      </div>

      {q.cursor || nextCursor ? (
        <nav aria-label="Pages of runtime findings" className="flex gap-2">
          {q.cursor ? (
            <Link href={runtimeHref(q)} className="btn">
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={runtimeHref(q, nextCursor)} className="btn" rel="next" data-testid="runtime-next">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
