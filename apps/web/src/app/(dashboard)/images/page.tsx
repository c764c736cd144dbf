import type { Metadata } from "next";
import { NotYetAvailable } from "../../../components/not-yet-available.tsx";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Images" };

export default async function ImagesPage() {
  await requirePage();
  return (
    <NotYetAvailable
      title="Images"
      summary="Container images running in your clusters or stored in your registries, identified by digest."
      bullets={[
        "List images with repository, tags and digest",
        "Show the packages inside each image (SBOM) and their vulnerabilities",
        "Show signature verification and malware verdicts",
      ]}
    />
  );
}
