import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Connectors" };

export default async function ConnectorsPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Connectors"
      summary="How clusters and registries send data to Bulwark."
      bullets={[
        "Create and revoke scoped API tokens for clusters and registries (shown once)",
        "Give copy-paste install instructions for the cluster agent",
        "Show when each connector last reported",
      ]}
    />
  );
}
