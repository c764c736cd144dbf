import { listProcessBaselines } from "@bulwark/core";
import type { Metadata } from "next";
import { FiltersForm } from "../../../../components/inventory/filters-form.tsx";
import { hasFilters, listHref, type RawSearchParams, readParams } from "../../../../components/inventory/list-url.ts";
import { ListProblem } from "../../../../components/inventory/list-problem.tsx";
import { Pager } from "../../../../components/inventory/pager.tsx";
import { runQuery } from "../../../../components/inventory/run-query.ts";
import { BaselinesTable } from "../../../../components/runtime/baselines-table.tsx";
import { RuntimeHeader } from "../../../../components/runtime/runtime-tabs.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "Process baselines" };

const PATH = "/runtime/baselines";
const KEYS = ["status", "q", "workload", "cursor"] as const;

export default async function BaselinesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { ctx } = await requirePage();
  const params = readParams(await searchParams, KEYS);
  const { data, problem } = await runQuery(() =>
    listProcessBaselines(db(), ctx, {
      ...(params.status ? { status: params.status } : {}),
      ...(params.q ? { q: params.q } : {}),
      ...(params.workload ? { workloadId: params.workload } : {}),
      ...(params.cursor ? { cursor: params.cursor } : {}),
    }),
  );
  const rows = data?.items ?? [];
  const now = new Date();

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <RuntimeHeader
        title="Process baselines"
        summary="What each workload container executes. A baseline learns for the organization's window, then locks: a process outside a locked baseline becomes an anomaly finding."
        current="/runtime/baselines"
      />
      <FiltersForm
        path={PATH}
        label="Filter process baselines"
        testId="baselines-filters"
        params={params}
        fields={[
          { name: "q", label: "Workload, namespace, cluster, container or exact process" },
          {
            name: "status",
            label: "Status",
            type: "select",
            options: [
              { value: "LEARNING", label: "Learning" },
              { value: "LOCKED", label: "Locked" },
            ],
          },
        ]}
      />
      {problem ? (
        <ListProblem message={problem} resetHref={listHref(PATH, {})} testId="baselines-problem" />
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Results</h2>
          {rows.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="baselines-none">
              {hasFilters(params)
                ? "No baseline matches these filters."
                : "No process baselines yet: one starts learning for each workload container the first time a runtime event names a process there."}
            </p>
          ) : (
            <BaselinesTable rows={rows} now={now} />
          )}
          <Pager path={PATH} params={params} nextCursor={data?.nextCursor ?? null} shown={rows.length} noun="baselines" />
        </div>
      )}
    </section>
  );
}
