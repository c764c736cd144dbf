import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Clusters"
      summary="Every Kubernetes cluster that reports to Bulwark, with its provider, version and the time of its last report."
      bullets={[
        "List connected clusters with their Kubernetes version, provider and last report time",
        "Show namespaces, workloads and open findings per cluster",
        "Flag clusters that have stopped reporting",
      ]}
    />
  );
}
