import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Findings"
      summary="Every open problem Bulwark knows about: vulnerabilities, misconfigurations, secrets, malware, runtime detections and policy violations."
      bullets={[
        "Filter findings by severity, type, cluster, namespace and image",
        "Show evidence, affected resources and remediation advice",
        "Request an exception or mark a finding as a false positive",
      ]}
    />
  );
}
