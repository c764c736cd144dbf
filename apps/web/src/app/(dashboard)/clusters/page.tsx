import { listClusters } from "@bulwark/core";
import type { Metadata } from "next";
import { CLUSTER_ASC, ClustersTable } from "../../../components/inventory/clusters-table.tsx";
import { EmptyClusters } from "../../../components/inventory/empty-clusters.tsx";
import { FiltersForm } from "../../../components/inventory/filters-form.tsx";
import { currentSort, hasFilters, listHref, type RawSearchParams, readParams } from "../../../components/inventory/list-url.ts";
import { ListProblem } from "../../../components/inventory/list-problem.tsx";
import { InventoryHeader } from "../../../components/inventory/page-header.tsx";
import { Pager } from "../../../components/inventory/pager.tsx";
import { runQuery } from "../../../components/inventory/run-query.ts";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Clusters" };

const PATH = "/clusters";
const KEYS = ["q", "sort", "dir", "cursor"] as const;

export default async function ClustersPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { ctx } = await requirePage();
  const params = readParams(await searchParams, KEYS);
  const { data, problem } = await runQuery(() => listClusters(db(), ctx, params));
  const sort = currentSort(params, "name", CLUSTER_ASC);
  const now = new Date();
  const rows = data?.items ?? [];
  const noClusters = !problem && rows.length === 0 && !hasFilters(params) && !params.cursor;

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <InventoryHeader title="Clusters" summary="Every Kubernetes cluster reporting to Bulwark, with its open findings and whether its connector still reports (stale after an hour without a report)." current="/clusters" />
      {noClusters ? (
        <EmptyClusters />
      ) : (
        <>
          <FiltersForm path={PATH} label="Filter clusters" testId="clusters-filters" params={params} fields={[{ name: "q", label: "Name contains" }]} />
          {problem ? (
            <ListProblem message={problem} resetHref={listHref(PATH, {})} testId="clusters-problem" />
          ) : (
            <div className="card overflow-x-auto p-0">
              <h2 className="sr-only">Results</h2>
              {rows.length === 0 ? (
                <p className="p-4 text-sm text-muted" data-testid="clusters-none">
                  No cluster matches these filters.
                </p>
              ) : (
                <ClustersTable rows={rows} now={now} table={{ path: PATH, params, sort, ascByDefault: CLUSTER_ASC }} />
              )}
              <Pager path={PATH} params={params} nextCursor={data?.nextCursor ?? null} shown={rows.length} noun="clusters" />
            </div>
          )}
        </>
      )}
    </section>
  );
}
