import { type Compliance, getCompliance, isAppError, listClusterNames } from "@bulwark/core";
import type { Metadata } from "next";
import { AttackMatrix } from "../../../components/compliance/attack-matrix.tsx";
import { ClusterFilter } from "../../../components/compliance/cluster-filter.tsx";
import { PracticeCards } from "../../../components/compliance/practice-cards.tsx";
import { PssClusterTable, PssNamespaceTable } from "../../../components/compliance/pss-tables.tsx";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Compliance" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

function Section({ id, title, description, children }: { id: string; title: string; description: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="card space-y-3 overflow-x-auto" data-testid={`section-${id}`}>
      <div>
        <h2 id={`${id}-title`} className="font-semibold">
          {title}
        </h2>
        <p className="mt-0.5 text-sm text-muted">{description}</p>
      </div>
      {children}
    </section>
  );
}

export default async function CompliancePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requirePage();
  const cluster = first((await searchParams).cluster)?.slice(0, 253);
  // An unknown cluster name (a stale bookmark) is a message on the page, not an error page.
  const [clusters, data] = await Promise.all([
    listClusterNames(db(), ctx),
    getCompliance(db(), ctx, cluster ? { cluster } : {}).catch((err: unknown): Compliance | null => {
      if (isAppError(err) && err.code === "NOT_FOUND") return null;
      throw err;
    }),
  ]);

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Compliance
          </h1>
          <p className="text-sm text-muted">Five practices, Pod Security Standards and the MITRE ATT&amp;CK for Containers matrix, over live workloads and open findings.</p>
        </div>
        <ClusterFilter clusters={clusters} current={cluster ?? null} />
      </div>
      {data === null ? (
        <p className="card" role="status" data-testid="compliance-unknown-cluster">
          There is no cluster named &quot;{cluster}&quot; in this organization.
        </p>
      ) : (
        <>
          <Section id="practices" title="Five practices" description={`Share of ${data.summary.workloads.toLocaleString("en-US")} live workloads${data.cluster ? ` in ${data.cluster}` : ""} that follow each practice.`}>
            <PracticeCards practices={data.summary.practices} cluster={data.cluster} />
          </Section>
          <Section
            id="pss"
            title="Pod Security Standards"
            description="Baseline passes at level baseline or restricted; restricted only at restricted. Rates are over evaluated workloads; the ones not evaluated yet are counted beside them."
          >
            <PssClusterTable clusters={data.clusters} />
            <details>
              <summary className="cursor-pointer text-sm font-medium">Per namespace ({data.namespaces.length.toLocaleString("en-US")})</summary>
              <PssNamespaceTable namespaces={data.namespaces} />
            </details>
          </Section>
          <Section id="attack" title="MITRE ATT&CK for Containers" description="Open findings per technique; each cell links to them in the findings explorer.">
            <AttackMatrix matrix={data.attack} cluster={data.cluster} />
          </Section>
        </>
      )}
    </section>
  );
}
