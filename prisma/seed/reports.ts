import { type ReportKind } from "@bulwark/db";
import { estateImageRefs, type EstateSpec } from "./estates.ts";
import { falcoPosts, pushedDaysAgo, registryImages } from "./events.ts";
import { imageSpec } from "./images.ts";
import { inventoryList } from "./kubernetes.ts";
import { cycloneDx, trivyReport } from "./scans.ts";
import { daysAgo, digestFor } from "./util.ts";

// An organization's demo history as the reports its connectors would have sent, oldest first:
//   - each image's SBOM from CI when it was pushed (a few images), and a Trivy scan soon after;
//   - registry image lists (an earlier one whose malware verdict was later cleared, then the current one);
//   - each cluster's earlier inventories (what ran then, incl. workloads deleted since), then the current one;
//   - Falco alerts as they happened, between those inventories;
//   - a current Trivy scan of every running image, which resolves what the vulnerability data dropped.
// Every time is relative to the anchor (when this database was first seeded), so the bodies, and with them
// the Idempotency-Keys' answers, are the same on every run.

/** Bump when the bodies change: new keys send the new reports instead of answering "conflict". */
export const SEED_VERSION = "v1";

export interface SeedReport {
  kind: ReportKind;
  subject: string | null;
  key: string;
  /** When the connector sent it. */
  at: Date;
  body: unknown;
}

export function seedReports(estate: EstateSpec, anchor: Date): SeedReport[] {
  const out: SeedReport[] = [];
  const add = (kind: ReportKind, subject: string | null, label: string, at: Date, body: unknown) =>
    out.push({ kind, subject, key: `seed:${SEED_VERSION}:${estate.slug}:${kind.toLowerCase()}:${label}`, at, body });
  const refs = estateImageRefs(estate);

  for (const ref of refs) {
    const img = imageSpec(ref);
    const pushed = daysAgo(anchor, pushedDaysAgo(estate.slug, ref));
    if (img.sbom || img.retired) add("SBOM", digestFor(ref), ref, new Date(pushed.getTime() + 5 * 60_000), cycloneDx(img, pushed));
    if (img.retired) continue;
    const scanned = new Date(pushed.getTime() + 3_600_000);
    add("TRIVY", null, `${ref}@first`, scanned, trivyReport(img, scanned, { withdrawn: true }));
  }

  for (const r of estate.registries) {
    if (r.earlier) {
      const at = daysAgo(anchor, r.earlier.daysAgo);
      add("REGISTRY", r.name, `${r.name}@-${r.earlier.daysAgo}d`, at, registryImages(estate.slug, r, refs, at, anchor, r.earlier.flagged));
    }
    const at = daysAgo(anchor, 0, 2);
    add("REGISTRY", r.name, r.name, at, registryImages(estate.slug, r, refs, at, anchor));
  }

  for (const c of estate.clusters) {
    for (const snap of c.snapshots) {
      const at = daysAgo(anchor, snap.daysAgo);
      add("INVENTORY", c.name, `${c.name}@-${snap.daysAgo}d`, at, inventoryList(estate, c, snap, at, anchor));
    }
    const at = daysAgo(anchor, 0, 1 / 6);
    add("INVENTORY", c.name, c.name, at, inventoryList(estate, c, undefined, at, anchor));
  }

  for (const e of falcoPosts(estate, anchor)) add("FALCO", null, e.key, e.at, e.body);

  refs
    .filter((ref) => !imageSpec(ref).retired)
    .forEach((ref, i) => {
      const at = daysAgo(anchor, 0, 1 - i / 600);
      add("TRIVY", null, ref, at, trivyReport(imageSpec(ref), at, { withdrawn: false }));
    });

  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
