import { listClusterNames, listNamespaces } from "@bulwark/core";
import type { Metadata } from "next";
import { FiltersForm } from "../../../components/inventory/filters-form.tsx";
import { currentSort, hasFilters, listHref, type RawSearchParams, readParams } from "../../../components/inventory/list-url.ts";
import { ListProblem } from "../../../components/inventory/list-problem.tsx";
import { NAMESPACE_ASC, NamespacesTable } from "../../../components/inventory/namespaces-table.tsx";
import { InventoryHeader } from "../../../components/inventory/page-header.tsx";
import { Pager } from "../../../components/inventory/pager.tsx";
import { runQuery } from "../../../components/inventory/run-query.ts";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Namespaces" };

const PATH = "/namespaces";
const KEYS = ["cluster", "q", "sort", "dir", "cursor"] as const;

export default async function NamespacesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { ctx } = await requirePage();
  const params = readParams(await searchParams, KEYS);
  const [{ data, problem }, clusters] = await Promise.all([runQuery(() => listNamespaces(db(), ctx, params)), listClusterNames(db(), ctx).catch(() => [] as string[])]);
  const sort = currentSort(params, "name", NAMESPACE_ASC);
  const rows = data?.items ?? [];

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <InventoryHeader title="Namespaces" summary="Live namespaces across your clusters, with their workloads and the open findings of what runs in them." current="/namespaces" />
      <FiltersForm
        path={PATH}
        label="Filter namespaces"
        testId="namespaces-filters"
        params={params}
        fields={[
          { name: "cluster", label: "Cluster", suggestions: clusters },
          { name: "q", label: "Name contains" },
        ]}
      />
      {problem ? (
        <ListProblem message={problem} resetHref={listHref(PATH, {})} testId="namespaces-problem" />
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Results</h2>
          {rows.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="namespaces-none">
              {hasFilters(params) ? "No namespace matches these filters." : "No namespaces yet: they arrive with a cluster's first inventory report (see Connectors)."}
            </p>
          ) : (
            <NamespacesTable rows={rows} now={new Date()} table={{ path: PATH, params, sort, ascByDefault: NAMESPACE_ASC }} />
          )}
          <Pager path={PATH} params={params} nextCursor={data?.nextCursor ?? null} shown={rows.length} noun="namespaces" />
        </div>
      )}
    </section>
  );
}
