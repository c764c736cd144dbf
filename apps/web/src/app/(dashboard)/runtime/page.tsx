import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Runtime" };

export default async function RuntimePage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Runtime"
      summary="Suspicious behaviour detected inside running containers (for example by Falco)."
      bullets={[
        "Stream runtime events by cluster, namespace and pod",
        "Map events to MITRE ATT&CK techniques",
        "Turn important events into findings",
      ]}
    />
  );
}
