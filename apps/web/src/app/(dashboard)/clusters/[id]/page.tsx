import { getClusterDetail } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PointsTable } from "../../../../components/enforcement/points-table.tsx";
import { ConnectorStatus, PssLevels } from "../../../../components/inventory/cluster-detail.tsx";
import { DetailSection } from "../../../../components/inventory/detail-section.tsx";
import { NamespacesTable } from "../../../../components/inventory/namespaces-table.tsx";
import { detailOrNotFound } from "../../../../components/inventory/run-query.ts";
import { SeverityCountsList } from "../../../../components/inventory/severity-counts.tsx";
import { formatNumber } from "../../../../components/format.ts";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "Cluster" };

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx } = await requirePage();
  const c = await detailOrNotFound(getClusterDetail(db(), ctx, (await params).id), notFound);
  const now = new Date();
  const name = encodeURIComponent(c.name);

  return (
    <article aria-labelledby="page-title" className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/clusters" className="text-accent underline">
          Clusters
        </Link>
      </nav>
      <header className="space-y-1">
        <h1 id="page-title" className="text-2xl font-semibold break-all">
          {c.name}
        </h1>
        <p className="flex flex-wrap gap-3 text-sm text-muted">
          <span>Kubernetes {c.kubernetesVersion ?? "version unknown"}</span>
          {c.provider ? <span>{c.provider}</span> : null}
          <Link href={`/namespaces?cluster=${name}`} className="underline" data-testid="cluster-namespace-count">
            {formatNumber(c.namespaceCount)} namespaces
          </Link>
          <Link href={`/workloads?cluster=${name}`} className="underline" data-testid="cluster-workload-count">
            {formatNumber(c.workloadCount)} workloads
          </Link>
        </p>
      </header>

      <DetailSection id="connector" title="Connector">
        <ConnectorStatus cluster={c} now={now} />
      </DetailSection>

      <DetailSection id="posture" title="Open findings" testId="cluster-posture">
        <SeverityCountsList counts={c.openFindings} scope={{ cluster: c.name }} testId="cluster-counts" />
        <p className="text-sm text-muted">The cluster&apos;s own findings plus those of the images its live workloads run.</p>
      </DetailSection>

      <div className="grid gap-4 lg:grid-cols-2">
        <DetailSection id="pss" title="Pod Security Standards">
          <PssLevels levels={c.pssLevels} cluster={c.name} />
        </DetailSection>
        <DetailSection id="enforcement" title="Enforcement points" testId="cluster-enforcement">
          {c.enforcementPoints.length === 0 ? (
            <p className="text-sm text-muted">
              No enforcement point runs in this cluster: admission is not enforced here.{" "}
              <Link href="/enforcement" className="text-accent underline">
                Set one up
              </Link>
              .
            </p>
          ) : (
            <div className="overflow-x-auto">
              <PointsTable points={c.enforcementPoints} currentVersion={c.currentBundleVersion} now={now} />
            </div>
          )}
        </DetailSection>
      </div>

      <DetailSection
        id="namespaces"
        title="Namespaces"
        actions={
          c.namespaceCount > c.namespaces.length ? (
            <Link href={`/namespaces?cluster=${name}`} className="text-sm text-accent underline">
              All {formatNumber(c.namespaceCount)} namespaces
            </Link>
          ) : null
        }
      >
        {c.namespaces.length === 0 ? (
          <p className="text-sm text-muted">No live namespaces reported.</p>
        ) : (
          <div className="overflow-x-auto">
            <NamespacesTable rows={c.namespaces.map((n) => ({ ...n, cluster: { id: c.id, name: c.name } }))} now={now} showCluster={false} />
          </div>
        )}
      </DetailSection>
    </article>
  );
}
