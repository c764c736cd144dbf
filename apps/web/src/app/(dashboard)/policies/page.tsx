import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Policies"
      summary="The rules your workloads are checked against, and whether each one audits, warns or blocks at admission."
      bullets={[
        "List built-in and custom policies with their severity and enforcement mode",
        "Edit policies with version history",
        "Publish signed policy bundles to the in-cluster enforcer",
      ]}
    />
  );
}
