import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Exceptions" };

export default async function ExceptionsPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Exceptions"
      summary="Accepted risks and false positives, with who asked, who approved and when they expire."
      bullets={[
        "Request an exception for a finding, CVE, policy, image or namespace",
        "Approve or reject requests (analyst role or higher)",
        "Expire exceptions automatically and reopen their findings",
      ]}
    />
  );
}
