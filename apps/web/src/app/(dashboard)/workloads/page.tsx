import { listClusterNames, listWorkloads } from "@bulwark/core";
import type { Metadata } from "next";
import { FiltersForm } from "../../../components/inventory/filters-form.tsx";
import { currentSort, hasFilters, listHref, type RawSearchParams, readParams } from "../../../components/inventory/list-url.ts";
import { ListProblem } from "../../../components/inventory/list-problem.tsx";
import { InventoryHeader } from "../../../components/inventory/page-header.tsx";
import { Pager } from "../../../components/inventory/pager.tsx";
import { runQuery } from "../../../components/inventory/run-query.ts";
import { WORKLOAD_ASC, WorkloadsTable } from "../../../components/inventory/workloads-table.tsx";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Workloads" };

const PATH = "/workloads";
const KEYS = ["cluster", "namespace", "kind", "pssLevel", "minRisk", "exposed", "deleted", "q", "sort", "dir", "cursor"] as const;
const KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ReplicationController"];

export default async function WorkloadsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { ctx } = await requirePage();
  const params = readParams(await searchParams, KEYS);
  const [{ data, problem }, clusters] = await Promise.all([runQuery(() => listWorkloads(db(), ctx, params)), listClusterNames(db(), ctx).catch(() => [] as string[])]);
  const sort = currentSort(params, "risk", WORKLOAD_ASC);
  const rows = data?.items ?? [];

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <InventoryHeader
        title="Workloads"
        summary="Workloads across your clusters, riskiest first: risk score, Pod Security Standards level, exposure outside the cluster and the open findings of their images and their own."
        current="/workloads"
      />
      <FiltersForm
        path={PATH}
        label="Filter workloads"
        testId="workloads-filters"
        params={params}
        fields={[
          { name: "q", label: "Name contains" },
          { name: "cluster", label: "Cluster", suggestions: clusters },
          { name: "namespace", label: "Namespace" },
          { name: "kind", label: "Kind", type: "select", options: KINDS.map((k) => ({ value: k, label: k })) },
          {
            name: "pssLevel",
            label: "PSS level",
            type: "select",
            options: [
              { value: "restricted", label: "Restricted" },
              { value: "baseline", label: "Baseline" },
              { value: "privileged", label: "Privileged (fails baseline)" },
              { value: "unevaluated", label: "Not evaluated yet" },
            ],
          },
          { name: "minRisk", label: "Minimum risk", type: "number", placeholder: "0–100" },
          {
            name: "exposed",
            label: "Exposed outside the cluster",
            type: "select",
            options: [
              { value: "true", label: "Exposed" },
              { value: "false", label: "Not exposed" },
            ],
          },
          { name: "deleted", label: "State", type: "select", options: [{ value: "true", label: "Deleted from the cluster" }] },
        ]}
      />
      {problem ? (
        <ListProblem message={problem} resetHref={listHref(PATH, {})} testId="workloads-problem" />
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Results</h2>
          {rows.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="workloads-none">
              {hasFilters(params) ? "No workload matches these filters." : "No workloads yet: they arrive with a cluster's inventory report (see Connectors)."}
            </p>
          ) : (
            <WorkloadsTable rows={rows} now={new Date()} table={{ path: PATH, params, sort, ascByDefault: WORKLOAD_ASC }} />
          )}
          <Pager path={PATH} params={params} nextCursor={data?.nextCursor ?? null} shown={rows.length} noun="workloads" />
        </div>
      )}
    </section>
  );
}
