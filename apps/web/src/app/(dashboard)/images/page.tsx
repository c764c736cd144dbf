import { listImages } from "@bulwark/core";
import type { Metadata } from "next";
import { FiltersForm } from "../../../components/inventory/filters-form.tsx";
import { IMAGE_ASC, ImagesTable } from "../../../components/inventory/images-table.tsx";
import { currentSort, hasFilters, listHref, type RawSearchParams, readParams } from "../../../components/inventory/list-url.ts";
import { ListProblem } from "../../../components/inventory/list-problem.tsx";
import { InventoryHeader } from "../../../components/inventory/page-header.tsx";
import { Pager } from "../../../components/inventory/pager.tsx";
import { runQuery } from "../../../components/inventory/run-query.ts";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Images" };

const PATH = "/images";
const KEYS = ["q", "registry", "fixableCritical", "signature", "malware", "running", "sort", "dir", "cursor"] as const;
const YES_NO = [
  { value: "true", label: "Yes" },
  { value: "false", label: "No" },
];

export default async function ImagesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { ctx } = await requirePage();
  const params = readParams(await searchParams, KEYS);
  const { data, problem } = await runQuery(() => listImages(db(), ctx, params));
  const sort = currentSort(params, "critical", IMAGE_ASC);
  const rows = data?.items ?? [];

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <InventoryHeader
        title="Images"
        summary="Container images seen in your clusters, scans and registries, most critical findings first, with signature and malware status and where they run."
        current="/images"
      />
      <FiltersForm
        path={PATH}
        label="Filter images"
        testId="images-filters"
        params={params}
        fields={[
          { name: "q", label: "Repository or tag contains" },
          { name: "registry", label: "Registry host", placeholder: "e.g. ghcr.io" },
          { name: "fixableCritical", label: "Has a fixable critical", type: "select", options: YES_NO },
          { name: "running", label: "Running", type: "select", options: YES_NO },
          {
            name: "signature",
            label: "Signature",
            type: "select",
            options: [
              { value: "verified", label: "Verified" },
              { value: "unverified", label: "Not verified" },
              { value: "unknown", label: "Unknown" },
            ],
          },
          {
            name: "malware",
            label: "Malware verdict",
            type: "select",
            options: [
              { value: "clean", label: "Clean" },
              { value: "malicious", label: "Malicious" },
              { value: "unknown", label: "Unknown" },
            ],
          },
        ]}
      />
      {problem ? (
        <ListProblem message={problem} resetHref={listHref(PATH, {})} testId="images-problem" />
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Results</h2>
          {rows.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="images-none">
              {hasFilters(params) ? "No image matches these filters." : "No images yet: they arrive with inventory reports, Trivy scans, SBOMs and registry connectors (see Connectors)."}
            </p>
          ) : (
            <ImagesTable rows={rows} now={new Date()} table={{ path: PATH, params, sort, ascByDefault: IMAGE_ASC }} />
          )}
          <Pager path={PATH} params={params} nextCursor={data?.nextCursor ?? null} shown={rows.length} noun="images" />
        </div>
      )}
    </section>
  );
}
