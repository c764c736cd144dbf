import { getWorkloadDetail } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailSection } from "../../../../components/inventory/detail-section.tsx";
import { PssBadge } from "../../../../components/inventory/pss-badge.tsx";
import { detailOrNotFound } from "../../../../components/inventory/run-query.ts";
import { SeverityCountsList } from "../../../../components/inventory/severity-counts.tsx";
import { Exposure, History, RuntimeEvents, SpecYaml } from "../../../../components/inventory/workload-activity.tsx";
import { ContainersTable, PolicyResults, RiskExplained } from "../../../../components/inventory/workload-detail.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "Workload" };

export default async function WorkloadPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx } = await requirePage();
  const w = await detailOrNotFound(getWorkloadDetail(db(), ctx, (await params).id), notFound);

  return (
    <article aria-labelledby="page-title" className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/workloads" className="text-accent underline">
          Workloads
        </Link>{" "}
        <span aria-hidden="true">/</span>{" "}
        <Link href={`/clusters/${w.cluster.id}`} className="text-accent underline">
          {w.cluster.name}
        </Link>{" "}
        <span aria-hidden="true">/</span>{" "}
        <Link href={`/workloads?cluster=${encodeURIComponent(w.cluster.name)}&namespace=${encodeURIComponent(w.namespace.name)}`} className="text-accent underline">
          {w.namespace.name}
        </Link>
      </nav>
      <header className="space-y-1">
        <h1 id="page-title" className="text-2xl font-semibold break-all">
          {w.name}
        </h1>
        <p className="flex flex-wrap items-center gap-3 text-sm text-muted">
          <span>{w.kind}</span>
          {w.replicas !== null ? <span>{w.replicas} replicas</span> : null}
          {w.ownerKind ? (
            <span>
              owned by {w.ownerKind} {w.ownerName}
            </span>
          ) : null}
          <PssBadge level={w.pssLevel} />
          {w.deleted ? <span className="font-semibold text-warn">Deleted from the cluster</span> : null}
        </p>
      </header>

      <DetailSection id="findings" title="Open findings" testId="workload-findings">
        <SeverityCountsList counts={w.openFindings} scope={{ workload: w.id }} testId="workload-counts" />
        <p className="text-sm text-muted">
          {w.imageVulnerabilities.total} from the images it runs and {w.ownFindings.total} of its own (misconfigurations, policy violations, runtime alerts).
        </p>
      </DetailSection>

      <div className="grid gap-4 lg:grid-cols-2">
        <DetailSection id="risk" title="Risk">
          <RiskExplained score={w.riskScore} factors={w.riskFactorsExplained} />
        </DetailSection>
        <DetailSection id="exposure" title="Exposure">
          <Exposure exposure={w.exposure} />
        </DetailSection>
      </div>

      <DetailSection id="containers" title="Containers">
        <div className="overflow-x-auto">
          <ContainersTable workload={w} />
        </div>
      </DetailSection>

      <DetailSection id="policies" title="Policy results" testId="workload-policy-results">
        <PolicyResults results={w.policyResults} evaluatedAt={w.evaluatedAt} />
      </DetailSection>

      <DetailSection id="spec" title="Spec">
        <SpecYaml yaml={w.specYaml} name={w.name} />
      </DetailSection>

      <DetailSection id="runtime" title="Runtime events">
        <div className="overflow-x-auto">
          <RuntimeEvents events={w.runtimeEvents} />
        </div>
      </DetailSection>

      <DetailSection id="history" title="History">
        <History workload={w} />
      </DetailSection>
    </article>
  );
}
