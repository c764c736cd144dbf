import { getImageDetail } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailSection } from "../../../../components/inventory/detail-section.tsx";
import { ImageFacts, PackagesTable, RunsIn } from "../../../../components/inventory/image-detail.tsx";
import { type RawSearchParams, readParams } from "../../../../components/inventory/list-url.ts";
import { ListProblem } from "../../../../components/inventory/list-problem.tsx";
import { detailOrNotFound, runQuery } from "../../../../components/inventory/run-query.ts";
import { SeverityCountsList } from "../../../../components/inventory/severity-counts.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "Image" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<RawSearchParams> };

export default async function ImagePage({ params, searchParams }: Props) {
  const { ctx } = await requirePage();
  const id = (await params).id;
  const query = readParams(await searchParams, ["packageQ", "packageCursor"]);
  // A stale package cursor falls back to the first page of packages rather than an error page.
  const first = await runQuery(() => detailOrNotFound(getImageDetail(db(), ctx, id, query), notFound));
  const image = first.data ?? (await detailOrNotFound(getImageDetail(db(), ctx, id, { packageQ: query.packageQ }), notFound));

  return (
    <article aria-labelledby="page-title" className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/images" className="text-accent underline">
          Images
        </Link>{" "}
        <span aria-hidden="true">/</span> <span className="font-mono">{image.registryHost}</span>
      </nav>
      <header className="space-y-1">
        <h1 id="page-title" className="text-2xl font-semibold break-all">
          {image.ref}
        </h1>
        <p className="font-mono text-xs text-muted">{image.tags.length > 0 ? image.tags.join(", ") : image.digest}</p>
      </header>

      <DetailSection id="vulns" title="Open findings" testId="image-findings">
        <SeverityCountsList counts={image.openFindings} fixable={image.fixableFindings} scope={{ image: image.id }} testId="image-counts" />
      </DetailSection>

      <div className="grid gap-4 lg:grid-cols-2">
        <DetailSection id="facts" title="Supply chain">
          <ImageFacts image={image} />
        </DetailSection>
        <DetailSection id="runs" title="Where it runs">
          <RunsIn runsIn={image.runsIn} />
        </DetailSection>
      </div>

      <DetailSection id="packages" title="Packages">
        {first.problem ? <ListProblem message={first.problem} resetHref={`/images/${image.id}`} testId="packages-problem" /> : null}
        <PackagesTable imageId={image.id} packages={image.packages} packageQ={query.packageQ} cursor={first.problem ? undefined : query.packageCursor} />
      </DetailSection>
    </article>
  );
}
