import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Workloads" };

export default async function WorkloadsPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Workloads"
      summary="The Deployments, StatefulSets, DaemonSets, Jobs and other workloads found in your clusters, ranked by risk."
      bullets={[
        "List workloads across clusters with their risk score",
        "Show each workload's containers, images and security context",
        "Link to the findings affecting each workload",
      ]}
    />
  );
}
